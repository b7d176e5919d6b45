# relucap's top-level behaviour
$ relucap --version
exit 0
stdout~ ^relucap [0-9]+\.[0-9]+

$ relucap --help
exit 0
stdout~ Usage: relucap COMMAND

$ relucap
exit 2
stdout= EMPTY

$ relucap frobnicate
exit 2
stderr~ unknown command 'frobnicate'
stdout= EMPTY
