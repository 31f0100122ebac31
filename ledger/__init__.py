"""The ledger (台账, DESIGN §13): the office's register of applications as a spreadsheet, exported
from the cases and imported from an office's existing register through the service's rules."""
