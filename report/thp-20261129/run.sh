#!/bin/bash
# alternating THP off/on: StepBench d3w128 t1 and ProductBench w128
cd /work/main
for round in 1 2 3; do
  for v in on off; do
    if [ $v = on ]; then extra="-jvmArgsAppend -XX:+UseTransparentHugePages"; else extra=""; fi
    ./eprop jmh 'StepBench.step$' -p depth=3 -p width=128 -p path=vector -p model=leaky_tanh -p recurrent=true -p threads=1 -f 1 -wi 3 -i 5 -w 1 -r 1 $extra -rf csv -rff /tmp/thp/s-$v-$round.csv > /tmp/thp/s-$v-$round.log 2>&1
    ./eprop jmh 'ProductBench.product$' -p width=128 -f 1 -wi 3 -i 5 -w 1 -r 1 $extra -rf csv -rff /tmp/thp/q-$v-$round.csv > /tmp/thp/q-$v-$round.log 2>&1
    echo "$round $v step $(grep -E '^"org.deepeprop.jmh.StepBench.step"' /tmp/thp/s-$v-$round.csv | cut -d, -f5) product $(grep gigaflops /tmp/thp/q-$v-$round.csv | cut -d, -f5)"
  done
done
