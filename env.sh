# source me: this worktree's own databases
source /work/main/.local/test.env
export DATABASE_URL="postgres://postgres@localhost:54329/sqlx_master_weekly?host=/work/main/.local/pg"
export WT_NAME=weekly
