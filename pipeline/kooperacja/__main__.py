from kooperacja.cli.commands import main

main()
