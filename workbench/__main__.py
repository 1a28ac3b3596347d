from workbench.cli import main

if __name__ == "__main__":  # not when a helper process (see `ingest`) imports this module again
    main()
