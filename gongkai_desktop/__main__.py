from gongkai_desktop.cli import main

raise SystemExit(main())
