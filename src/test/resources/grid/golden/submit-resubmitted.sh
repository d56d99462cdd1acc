#!/bin/bash
# Written by ./hebbcnn slurm submit: each level's job array starts when the level below has finished (afterok),
# the report job after the last. Job ids are printed in order.
set -euo pipefail
j1=$(sbatch --parsable /OUT/slurm/level-1.sbatch | cut -d';' -f1)
echo "$j1"
j2=$(sbatch --parsable --dependency=afterok:$j1 /OUT/slurm/level-2.sbatch | cut -d';' -f1)
echo "$j2"
report=$(sbatch --parsable --dependency=afterok:$j2 /OUT/slurm/report.sbatch | cut -d';' -f1)
echo "$report"
