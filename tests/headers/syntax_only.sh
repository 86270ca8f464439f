# Compiler launcher of tests/headers: runs the compile command it is given with -fsyntax-only,
# then creates the empty object file (-o) that the build tool expects.
# The command may start with another launcher (ccache), which then runs with -fsyntax-only too.
#   sh syntax_only.sh [launcher] <compiler> <arguments...>
out=
prev=
for arg in "$@"; do
    if [ "$prev" = "-o" ]; then
        out=$arg
    fi
    prev=$arg
done
"$@" -fsyntax-only && : >"$out"
