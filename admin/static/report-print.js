// The report page's print button: the browser prints the published report (see report.css), not the page.
document.addEventListener("DOMContentLoaded", () => {
    for (const button of document.querySelectorAll("[data-print]")) {
        button.addEventListener("click", () => window.print());
    }
});
