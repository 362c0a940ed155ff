from kooperacja.cli import main

main()
