from splice.cli import main

# Guarded: process pools (forkserver/spawn) import this module again in each worker.
if __name__ == "__main__":
    main()
