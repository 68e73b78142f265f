# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# bash completion for nstrace: commands, their options, fault names, lab
# names and files where an option takes one.

_nstrace_labs()
{
	# Lab names from their namespaces under /run/netns (LAB-nsK): no root needed.
	ls /run/netns 2>/dev/null | sed -n 's/^\(.*\)-ns[0-9][0-9]*$/\1/p' | sort -u
}

_nstrace()
{
	local cur prev cmd i
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	cmd=
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-*) ;;
		*) cmd=${COMP_WORDS[i]}; break ;;
		esac
	done

	local out="--json --pcap --dot --svg --record --explain --quiet -q --summary --no-color --verbose -v --help -h"
	local probe="--count -c --interval -i"
	local lab="--lab --namespaces --subnet --bridge --isolated"

	case $prev in
	--pcap|--dot|--svg|--record)
		COMPREPLY=($(compgen -f -- "$cur")); return ;;
	--lab)
		COMPREPLY=($(compgen -W "$(_nstrace_labs)" -- "$cur")); return ;;
	--break)
		COMPREPLY=($(compgen -W "$(nstrace faults 2>/dev/null | awk '{print $1}')" -- "$cur")); return ;;
	--from|--to)
		if [ "$cmd" = run ]; then COMPREPLY=($(compgen -W "ns1 ns2 ns3 ns4" -- "$cur")); return; fi
		COMPREPLY=($(compgen -W "$(ls /run/netns 2>/dev/null)" -- "$cur")); return ;;
	--netns)
		COMPREPLY=($(compgen -W "$(ls /run/netns 2>/dev/null)" -- "$cur")); return ;;
	--interval|-i)
		COMPREPLY=($(compgen -W "10ms 100ms 1s" -- "$cur")); return ;;
	--duration)
		COMPREPLY=($(compgen -W "10s 1m 1h 24h" -- "$cur")); return ;;
	--count|-c|--namespaces|--subnet|--bridge)
		return ;;
	esac

	case $cmd in
	"")
		COMPREPLY=($(compgen -W "run up down status exec faults trace report --verbose -v --help -h --version" -- "$cur")) ;;
	run)
		COMPREPLY=($(compgen -W "$probe --from --to --keep -k --break --fix --yes $lab $out" -- "$cur")) ;;
	trace)
		COMPREPLY=($(compgen -W "--from --to $probe --passive --duration --bridge --netns --lab $out" -- "$cur")) ;;
	report)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "--json --pcap --dot --svg --explain --quiet -q --summary --no-color --verbose -v --help -h" -- "$cur"))
		else
			COMPREPLY=($(compgen -f -- "$cur"))
		fi ;;
	up)
		COMPREPLY=($(compgen -W "$lab --verbose -v --help -h" -- "$cur")) ;;
	down)
		COMPREPLY=($(compgen -W "--lab --all --verbose -v --help -h" -- "$cur")) ;;
	status)
		COMPREPLY=($(compgen -W "--lab --verbose -v --help -h" -- "$cur")) ;;
	exec)
		COMPREPLY=($(compgen -W "--lab ns1 ns2 host --verbose -v --help -h" -- "$cur")) ;;
	faults)
		COMPREPLY=($(compgen -W "--verbose -v --help -h" -- "$cur")) ;;
	esac
}
complete -o filenames -F _nstrace nstrace
