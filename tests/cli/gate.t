# relucap gate: one layer's capacity at every lifting level
$ relucap gate --help
exit 0
stdout~ SYNOPSIS
stdout~ relucap gate --level 3 --json

$ relucap gate --level 1 --json
exit 0
stdout~ "capacity":7\.64769493543
stdout~ "level":1,
stdout~ "energy_residual":
stdout~ "residual":
stdout~ "quad_error":
stdout~ "seconds":
stdout~ "params":\{"Q":\[\],"chim":\[\],"chi":0\.6303550

$ relucap gate --level 2p --json
exit 0
stdout~ "capacity":7\.44863872
stdout~ "level":"2p"
stdout~ "Q":\[0\]

$ relucap gate --level 2 --json
exit 0
stdout~ "capacity":6\.71569683
stdout~ "replica":"1RSB"

$ relucap gate --level 3 --json
exit 0
stdout~ "capacity":6\.7003919
stdout~ "level":3,
stdout~ "chim":\[2\.667[0-9]*,5\.353

$ relucap gate --level 3
exit 0
stdout~ ^level 3 \(2RSB\)
stdout~ capacity +6\.7003919

$ relucap gate --level 4 --json
exit 0
stdout~ "capacity":6\.6986878

$ relucap gate --level full --kmax 5 --json
exit 0
stdout~ "level":"full"
stdout~ "capacity":6\.6980
stdout~ "extrap_error":
stdout~ "ladder":\[7\.64769

$ relucap gate --ladder --max-level 4 --kmax 4 --csv
exit 0
stdout~ ^level,replica,capacity,error,rel_change,maillard_et_al
stdout~ ^1,RS,7\.6476949354
stdout~ ^2p,1RSB, Q_0 = 0,7\.448638726
stdout~ ^2,1RSB,6\.7156968376.*,6\.715696838,
stdout~ ^full,FRSB
stdout~ ^AT,RS instability \(d-AT\),5\.32376690

$ relucap gate --ladder --max-level 3 --kmax 4 --json
exit 0
stdout~ "levels":\[\{"level":1,"replica":"RS"
stdout~ "at_point":\{"alpha":5\.3237669
stdout~ "maillard_et_al":6\.69803

$ relucap gate --ladder --max-level 3 --kmax 4
exit 0
stdout~ Maillard et al\.
stdout~ de Almeida-Thouless

$ relucap gate --level 0
exit 2
stdout= EMPTY
stderr~ --level: expected 1, 2p, 2, 3, \.\.\., 13 or full, got '0'

$ relucap gate --level 2.5
exit 2
stdout= EMPTY
stderr~ got '2\.5'

$ relucap gate --level 3p
exit 2
stdout= EMPTY
stderr~ got '3p'

$ relucap gate --level 99
exit 2
stdout= EMPTY

$ relucap gate --level
exit 2
stdout= EMPTY
stderr~ missing value

$ relucap gate
exit 2
stdout= EMPTY
stderr~ give --level

$ relucap gate --level 3 --ppw 1
exit 2
stdout= EMPTY
stderr~ --ppw

$ relucap gate --level 3 --cut 100
exit 2
stdout= EMPTY
stderr~ --cut

$ relucap gate --level full --kmax 2
exit 2
stdout= EMPTY
stderr~ --kmax

$ relucap gate --level 3 --csv
exit 2
stdout= EMPTY

$ relucap gate --level 3 --frobnicate
exit 2
stdout= EMPTY
stderr~ unknown option '--frobnicate'

$ relucap gate --level 6 --tol 1e-300
exit 3
stdout= EMPTY
stderr~ no converged capacity

$ relucap gate --level 3 --alpha 6.8 --json
exit 0
stdout~ "energy":1\.028
stdout~ "alpha":6\.7999|"alpha":6\.8

$ relucap gate --level 2 --alpha 6.0
exit 0
stdout~ not injective

$ relucap gate --level full --alpha 7
exit 2
stdout= EMPTY
stderr~ --alpha needs one finite level

$ relucap gate --level 3 --alpha -1
exit 2
stdout= EMPTY
stderr~ --alpha

$ relucap gate --level 3 --threads 2 --json
exit 0
stdout~ "capacity":6\.7003919

$ relucap gate --level 3 --threads 100
exit 2
stdout= EMPTY
stderr~ --threads
