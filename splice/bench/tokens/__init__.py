"""`splice bench tokens`: the tokens naive, careful and splice agents spend on real tasks."""
