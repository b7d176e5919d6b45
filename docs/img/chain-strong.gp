# gnuplot script written by relucap; re-run from this directory: gnuplot chain-strong.gp
# made by: relucap chain --depth 12 --kind strong --plot docs/img/chain-strong.svg
# data: chain-strong.dat (one block per series)
set terminal svg size 800,720 dynamic enhanced font 'sans,12' background rgb 'white'
set output 'chain-strong.svg'
set multiplot layout 2,1 title 'Strong injectivity of deep ReLU networks: capacity bound against depth'
reset
set key top left box opaque
set grid
set title 'capacity bound alpha_L = m_L / n'
set xlabel 'depth L (layers)'
set ylabel 'alpha_L'
set xtics 1
set autoscale xfix
set offsets 0.3, 0.3, graph 0.05, graph 0.05
plot 'chain-strong.dat' index 0 using 1:2 with linespoints lw 2 title 'relucap, plain RDT (alpha_1 = 6.70039)', \
     'chain-strong.dat' index 1 using 1:2 with points pt 7 ps 1.3 lw 2 title 'paper, printed (Tables 3, 5; alpha_1 = 6.7004)'
reset
set key top right box opaque
set grid
set title 'layer expansion alpha_L / alpha_{L-1}'
set xlabel 'depth L (layers)'
set ylabel 'alpha_L / alpha_{L-1}'
set xtics 1
set autoscale xfix
set offsets 0.3, 0.3, graph 0.05, graph 0.05
plot 'chain-strong.dat' index 2 using 1:2 with linespoints lw 2 title 'relucap, plain RDT (alpha_1 = 6.70039)'
unset multiplot
unset output
