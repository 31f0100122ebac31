// The report page's print button: the browser prints the published report (see report.css), not the page.
document.addEventListener("click", (event) => {
    if (event.target instanceof Element && event.target.closest("[data-print]")) {
        window.print();
    }
});
