from openrouter_codegen.cli import main

raise SystemExit(main())
