# gnuplot script written by relucap; re-run from this directory: gnuplot mc-transition.gp
# made by: relucap mc --n 5 --depth 1 --sweep 3:10:0.4 --trials 200 --seed 1
# data: mc-transition.dat (one block per series)
set terminal svg size 800,390 dynamic enhanced font 'sans,12' background rgb 'white'
set output 'mc-transition.svg'
set multiplot layout 1,1 title 'Weak injectivity of 1-layer ReLU networks with n = 5 inputs: Monte Carlo'
reset
set key bottom right box opaque
set grid
set title 'probability that a random network is injective'
set xlabel 'alpha_L = m_L / n'
set ylabel 'P(injective)'
set offsets 0, 0, graph 0.05, graph 0.05
set arrow 1 from 7.6476949354352817, graph 0 to 7.6476949354352817, graph 1 nohead dashtype 2 lc rgb 'gray30'
set label 1 'plain RDT' at 7.6476949354352817, graph 0.3 rotate left offset -1, 0 tc rgb 'gray30'
set arrow 2 from 6.7003919494429116, graph 0 to 6.7003919494429116, graph 1 nohead dashtype 2 lc rgb 'gray30'
set label 2 'fl RDT level 3' at 6.7003919494429116, graph 0.3 rotate left offset -1, 0 tc rgb 'gray30'
set arrow 3 from 5.0640000000000001, graph 0 to 5.0640000000000001, graph 1 nohead dashtype 2 lc rgb 'gray30'
set label 3 'P = 1/2 at 5.064' at 5.0640000000000001, graph 0.3 rotate left offset -1, 0 tc rgb 'gray30'
plot 'mc-transition.dat' index 0 using 1:2:3:4 with yerrorlines lw 2 title 'P(injective), exact per sample, Wilson 95% (n = 5)'
unset multiplot
unset output
