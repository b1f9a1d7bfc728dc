from painopts.cli import main

main()
