#!/bin/bash
# Checks limes.bash-completion: sources it and calls its completion function with COMP_WORDS,
# COMP_CWORD, COMP_LINE and COMP_POINT set as bash sets them, then compares COMPREPLY.
# Every case runs twice: without bash-completion (the completion's own fallback) and, when the
# bash-completion package is installed, after sourcing its bash_completion (skipped, and said
# so, when it is not). Needs nothing but bash (and bash-completion for the second run).
#
# Usage: test_completion.sh [COMPLETION_FILE]   (default: limes.bash-completion beside this)
# Exit status: 0 when every case passes, 1 otherwise.

completion=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/limes.bash-completion}
bash_completion=${BASH_COMPLETION_SCRIPT:-/usr/share/bash-completion/bash_completion}
if [[ ! -r $completion ]]; then
    echo "test_completion.sh: cannot read $completion" >&2
    exit 1
fi
completion=$(cd "$(dirname "$completion")" && pwd)/$(basename "$completion")

# A folder of files for the file-name cases.
scratch=$(mktemp -d "${TMPDIR:-/tmp}/limes-completion.XXXXXX") || exit 1
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/sub"
touch "$scratch"/{a.gpkg,B.GPKG,c.csv,d.png,e.mp4,f.geojson,g.txt,h.shp,i.pdf,j.gif}

failures=0

# check MODE EXPECTED WORD...: completes the last WORD of "WORD..." (a lone "=" is glued to
# its neighbours, as in --paper=A4, and bash splits it off again) and compares the sorted
# COMPREPLY with EXPECTED, its words separated by '|' ("" for none).
check()
{
    local mode=$1 expected=$2
    shift 2
    COMP_WORDS=("$@")
    COMP_CWORD=$(($# - 1))
    local line='' w previous=''
    for w in "$@"; do
        if [[ -z $line ]]; then
            line=$w
        elif [[ $w == = || $previous == = ]]; then
            line+=$w
        else
            line+=" $w"
        fi
        previous=$w
    done
    COMP_LINE=$line
    COMP_POINT=${#line}
    COMPREPLY=()
    _limes limes "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}" 2>/dev/null
    local got want
    got=$( ((${#COMPREPLY[@]})) && printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort | paste -sd '|')
    want=$(printf '%s' "$expected" | tr '|' '\n' | LC_ALL=C sort | paste -sd '|')
    if [[ $got == "$want" ]]; then
        echo "ok   [$mode] '$COMP_LINE'"
    else
        echo "FAIL [$mode] '$COMP_LINE': expected '$want', got '$got'"
        failures=$((failures + 1))
    fi
}

# has MODE WORD WORD...: like check, but only asks that COMPREPLY include WORD (the first
# argument) among other candidates.
has()
{
    local mode=$1 needle=$2
    shift 2
    COMP_WORDS=("$@")
    COMP_CWORD=$(($# - 1))
    COMP_LINE="$*"
    COMP_POINT=${#COMP_LINE}
    COMPREPLY=()
    _limes limes "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}" 2>/dev/null
    local c
    for c in "${COMPREPLY[@]}"; do
        if [[ $c == "$needle" ]]; then
            echo "ok   [$mode] '$COMP_LINE' offers $needle"
            return
        fi
    done
    echo "FAIL [$mode] '$COMP_LINE': $needle not among '${COMPREPLY[*]}'"
    failures=$((failures + 1))
}

cases()
{
    local m=$1
    cd "$scratch" || exit 1
    # Commands and global options.
    check "$m" 'animate|clean|export|history|import|info|init|render|stats|view' limes ''
    check "$m" 'render' limes ren
    check "$m" 'import|info|init' limes i
    check "$m" '-h|--help|--version' limes -
    check "$m" '' limes bogus --
    # Each command's options.
    check "$m" '--paper' limes render --pa
    check "$m" '--step' limes animate --st
    check "$m" '--no-inset' limes animate --no
    check "$m" '-n|--dry-run|-h|--help' limes clean -
    check "$m" '-h|--help|--allow-network' limes info -
    check "$m" '--strict|--source-layer' limes import --s
    check "$m" '--replay|--replay-log' limes view --rep
    check "$m" '--reported-by|--region' limes export --re
    check "$m" '--json' limes stats --j
    check "$m" '--paper' limes render --title x --pap
    # Values the help names.
    check "$m" 'A4|A3|letter' limes render --paper ''
    check "$m" 'letter' limes render --paper l
    check "$m" 'A4|A3|letter' limes render --paper = ''
    check "$m" 'A3' limes render --paper = A3
    check "$m" 'landscape|portrait' limes render --orientation ''
    check "$m" 'clusters|heatmap' limes render --density ''
    check "$m" 'type|reported_by|status' limes animate --color-by ''
    check "$m" 'en|hy|az' limes render --labels ''
    check "$m" 'en|hy|az|off' limes view --labels ''
    check "$m" 'png|gtiff|pdf|svg' limes render --format ''
    check "$m" 'acled|ucdp|ogr|auto' limes import x.gpkg y.csv --format ''
    check "$m" 'countries,lakes' limes render --layers countries,la
    check "$m" 'historical_lines' limes animate --layers hi
    check "$m" 'Explosions/Remote\ violence' limes stats --type Ex
    check "$m" 'Explosions/Remote violence' limes stats --type '"Ex'
    check "$m" 'Riots' limes export --type Battles Ri
    check "$m" '' limes render --from ''
    check "$m" '' limes render --title ''
    # File names, by the extension a positional or an output takes.
    check "$m" 'B.GPKG|a.gpkg|sub' limes view ''
    check "$m" 'B.GPKG|a.gpkg|sub' limes clean ''
    check "$m" 'B.GPKG|a.gpkg|sub' limes render --symbols ''
    check "$m" 'B.GPKG|a.gpkg|sub' limes stats --type Battles -- ''
    check "$m" 'B.GPKG|a.gpkg|c.csv|f.geojson|h.shp|sub' limes import a.gpkg ''
    check "$m" 'B.GPKG|a.gpkg|c.csv|f.geojson|h.shp|sub' limes info ''
    check "$m" 'd.png|i.pdf|sub' limes render -o ''
    check "$m" 'd.png|i.pdf|sub' limes render --output = ''
    check "$m" 'e.mp4|j.gif|sub' limes animate -o ''
    check "$m" 'f.geojson|sub' limes export -o ''
    check "$m" 'd.png|sub' limes view --replay x --screenshot ''
    check "$m" 'a.gpkg' limes view a
    # Past the last positional: the options again.
    has "$m" --strict limes import a.gpkg c.csv ''
    has "$m" --output limes render a.gpkg ''
}

# Without bash-completion: the completion's fallback.
(
    # shellcheck source=/dev/null
    source "$completion"
    if declare -F _init_completion >/dev/null; then
        echo "FAIL: _init_completion is defined before bash-completion was sourced"
        exit 1
    fi
    cases plain
    exit $((failures > 0))
) || failures=$((failures + 1))

# With bash-completion, when installed.
if [[ -r $bash_completion ]]; then
    (
        # shellcheck source=/dev/null
        source "$bash_completion"
        # shellcheck source=/dev/null
        source "$completion"
        if ! declare -F _init_completion >/dev/null; then
            echo "FAIL: $bash_completion does not define _init_completion"
            exit 1
        fi
        cases bash-completion
        exit $((failures > 0))
    ) || failures=$((failures + 1))
else
    echo "skip [bash-completion] $bash_completion is not installed"
fi

if ((failures)); then
    echo "test_completion.sh: failures" >&2
    exit 1
fi
echo "test_completion.sh: all passed"
exit 0
