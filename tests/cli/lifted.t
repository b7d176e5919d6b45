# relucap capacity/chain --method lifted (partially lifted RDT, docs/lifted-rdt.md)
$ relucap capacity --depth 2 --kind weak --alphas 6.7004 --method lifted --json
exit 0
stdout~ "capacity":8\.26410061
stdout~ "method":"lifted"
stdout~ "c3":0\.109
stdout~ "plain_capacity":8\.26672931
stdout~ "no_gain":false
stdout~ "saddle_max_eig_max_vars":-3\.65
stdout~ "saddle_min_eig_min_vars":0\.21
stdout~ "status":"success"

$ relucap capacity --depth 2 --kind weak --alphas 6.7004 --method lifted --c3 0.1091 --json
exit 0
stdout~ "r_1":1\.7932955
stdout~ "gbar_1":0\.881062
stdout~ "gbar_2":0\.905343
stdout~ "gamma_1":0\.336070
stdout~ "nu":0\.550478
stdout~ "c3":0\.1091,

$ relucap capacity --depth 2 --kind strong --alphas 6.7004 --method lifted --c3 0.8315 --json
exit 0
stdout~ "r_1":1\.905855
stdout~ "gbar_2":0\.570712
stdout~ "gamma_1":0\.572872

$ relucap capacity --depth 2 --kind strong --alphas 6.7004 --method lifted
exit 0
stdout~ alpha_2 = 12\.18331289
stdout~ plain RDT: 12\.35042097
stdout~ c3 +0\.83

$ relucap capacity --depth 1 --method lifted --json
exit 0
stdout~ "capacity":7\.448638726

$ relucap capacity --depth 3 --alphas 6.7004,8.267 --method lifted --json
exit 0
stdout~ "capacity":9\.4715305108
stdout~ "no_gain":true
stdout~ "c3":0,
stdout~ "slope_c3_0":-0\.28

$ relucap capacity --depth 2 --alphas 6.7004 --method lifted --c3 0
exit 2
stderr~ --c3
stdout= EMPTY

$ relucap capacity --depth 2 --alphas 6.7004 --method lifted --c3 -0.5
exit 2
stderr~ --c3
stdout= EMPTY

$ relucap capacity --depth 2 --alphas 6.7004 --method lifted --c3 nan
exit 2
stderr~ --c3
stdout= EMPTY

$ relucap capacity --depth 2 --alphas 6.7004 --method lifted --c3 abc
exit 2
stdout= EMPTY

$ relucap capacity --depth 2 --alphas 6.7004 --c3 0.1
exit 2
stderr~ needs --method lifted
stdout= EMPTY

$ relucap capacity --depth 2 --alphas 6.7004 --method lifed
exit 2
stderr~ unknown method 'lifed' \(allowed: plain, lifted
stdout= EMPTY

$ relucap capacity --depth 2 --alphas 7.7 --method lifted --c3 1000
exit 3
stderr~ no number is reported
stdout= EMPTY

$ relucap capacity --depth 2 --alphas 7.7 --method lifted --c3 1000.5
exit 2
stderr~ --c3: expected a number in \(0, 1000\]
stdout= EMPTY

$ relucap capacity --depth 2 --alphas 7.7 --method lifted --c3 5 --nodes 64
exit 3
stderr~ no number is reported
stdout= EMPTY

$ relucap capacity --depth 17 --alphas 7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7 --method lifted
exit 2
stderr~ depth <= 16
stdout= EMPTY

$ relucap chain --depth 4 --alpha1 6.7004 --compare --csv
exit 0
stdout~ ^depth,capacity,expansion,residual,quad_error,seconds,plain,lifted,gain,c3,slope_c3_0(,optimized,optimized_lifted)?$
stdout~ ^2,8\.26672931[0-9]*,[^,]*,[^,]*,[^,]*,[^,]*,8\.26672931[0-9]*,8\.264100614[0-9]*,0\.00262
stdout~ ^3,9\.471369796[0-9]*,.*,0,0,-0\.28

$ relucap chain --depth 3 --kind strong --alpha1 6.7004 --method lifted --json
exit 0
stdout~ "method":"lifted"
stdout~ "capacity":12\.1833128
stdout~ "c3":0\.831

$ relucap chain --depth 2 --alpha1 gate:2p --method lifted --compare
exit 0
stdout~ alpha_1 = 7\.448638726 \(gate:2p\)
stdout~ no gain

$ relucap chain --depth 3 --method lifted --help
exit 0
stdout~ --compare

$ relucap paper
exit 0
stdout~ ^Table 8: 2 layers, weak, partially lifted RDT
stdout~ alpha_2 +8\.264 +8\.2641006[0-9]* +8\.2641006[0-9]* +4 digits agree \(all\)
stdout~ ^Table 9: 2 layers, strong, partially lifted RDT
stdout~ alpha_2 +absent +12\.18331294[0-9]* +12\.18331289[0-9]* +computed \(absent from our copy of the paper\)
