# gnuplot script written by relucap; re-run from this directory: gnuplot chain-compare.gp
# made by: relucap chain --depth 6 --kind strong --alpha1 6.7004 --compare --plot docs/img/chain-compare.svg
# data: chain-compare.dat (one block per series)
set terminal svg size 800,1050 dynamic enhanced font 'sans,12' background rgb 'white'
set output 'chain-compare.svg'
set multiplot layout 3,1 title 'Strong injectivity of deep ReLU networks: capacity bound against depth'
reset
set key top left box opaque
set grid
set title 'capacity bound alpha_L = m_L / n'
set xlabel 'depth L (layers)'
set ylabel 'alpha_L'
set xtics 1
set autoscale xfix
set offsets 0.3, 0.3, graph 0.6, graph 0.05
plot 'chain-compare.dat' index 0 using 1:2 with linespoints lw 2 title 'relucap, plain RDT (alpha_1 = 6.7004)', \
     'chain-compare.dat' index 1 using 1:2 with points pt 7 ps 1.3 lw 2 title 'paper, printed (Tables 3, 5; alpha_1 = 6.7004)', \
     'chain-compare.dat' index 2 using 1:2 with points pt 4 ps 1.3 lw 2 title 'relucap, lifted at the same alphas (--compare)', \
     'chain-compare.dat' index 3 using 1:2 with points pt 6 ps 1.3 lw 2 title 'relucap, optimized at the same alphas (--compare)', \
     'chain-compare.dat' index 4 using 1:2 with points pt 8 ps 1.3 lw 2 title 'relucap, optimized-lifted at the same alphas (--compare)'
reset
set key top right box opaque
set grid
set title 'layer expansion alpha_L / alpha_{L-1}'
set xlabel 'depth L (layers)'
set ylabel 'alpha_L / alpha_{L-1}'
set xtics 1
set autoscale xfix
set offsets 0.3, 0.3, graph 0.05, graph 0.05
plot 'chain-compare.dat' index 5 using 1:2 with linespoints lw 2 title 'relucap, plain RDT (alpha_1 = 6.7004)'
reset
set key top left box opaque
set grid
set title 'how much lower than plain, at the same alphas'
set xlabel 'depth L (layers)'
set ylabel 'alpha_L(plain) - alpha_L(method)'
set xtics 1
set autoscale xfix
set offsets 0.3, 0.3, graph 0.4, graph 0.05
plot 'chain-compare.dat' index 6 using 1:2 with linespoints lw 2 title 'plain - lifted', \
     'chain-compare.dat' index 7 using 1:2 with linespoints lw 2 title 'plain - optimized', \
     'chain-compare.dat' index 8 using 1:2 with linespoints lw 2 title 'plain - optimized-lifted'
unset multiplot
unset output
