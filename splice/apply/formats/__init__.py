"""One module per edit format; `detect` tells them apart."""
