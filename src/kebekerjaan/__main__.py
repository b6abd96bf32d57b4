import sys

from kebekerjaan.cli import main

sys.exit(main())
