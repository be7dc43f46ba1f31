"""`python -m dashboard.snapshot --query "district=Preston" --out FILE.html [--pdf FILE.pdf] [--sections ...]`:
an adviser's snapshot made with no browser, by the same code as the Snapshots page
(`dashboard.outputs.snapshot`)."""

import sys

from dashboard.outputs.snapshot import main

if __name__ == "__main__":
    main(sys.argv[1:])
