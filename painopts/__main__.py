from painopts.entry import main

main()
