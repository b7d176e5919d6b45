# gnuplot script written by relucap; re-run from this directory: gnuplot gate-levels.gp
# made by: relucap gate --ladder --max-level 6 --plot docs/img/gate-levels.svg
# data: gate-levels.dat (one block per series)
set terminal svg size 800,720 dynamic enhanced font 'sans,12' background rgb 'white'
set output 'gate-levels.svg'
set multiplot layout 2,1 title 'Injectivity capacity of one ReLU layer: fully lifted RDT levels'
reset
set key top right box opaque
set grid
set title 'capacity of one random ReLU layer against the lifting level'
set xlabel 'fl RDT level L'
set ylabel 'alpha_c = m / n'
set xtics 1
set autoscale xfix
set offsets 0.3, 0.3, graph 1.1, graph 0.05
plot 'gate-levels.dat' index 0 using 1:2 with linespoints lw 2 title 'fl RDT level L = (L-1)-RSB (relucap)', \
     'gate-levels.dat' index 1 using 1:2 with points pt 5 ps 1.3 lw 2 title 'level 2p = 1RSB with Q_0 = 0 (relucap)', \
     'gate-levels.dat' index 2 using 1:2 with lines dashtype 2 lw 2 title 'full RSB, k-RSB for k = 1..8 extrapolated: 6.698050 +- 1.6e-06', \
     'gate-levels.dat' index 3 using 1:2 with points pt 6 ps 2 lw 2 title 'Maillard et al. 2023, published RS and 1RSB', \
     'gate-levels.dat' index 4 using 1:2 with lines dashtype 3 lw 2 title 'Maillard et al. 2023, published FRSB 6.69803'
reset
set key top right box opaque
set grid
set title 'distance to full RSB'
set xlabel 'fl RDT level L'
set ylabel 'alpha_L - alpha_{full}'
set xtics 1
set autoscale xfix
set offsets 0.3, 0.3, graph 0.05, graph 0.05
set logscale y
set format y '10^{%L}'
plot 'gate-levels.dat' index 5 using 1:2 with linespoints lw 2 title 'alpha_L - alpha_{full} (relucap)'
unset multiplot
unset output
