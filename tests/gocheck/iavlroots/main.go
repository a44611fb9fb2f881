// Command iavlroots replays a JSON workload on the real cosmos/iavl MutableTree and prints
// the root hash (hex) of every saved version, one per line. It is the Go reference the Python
// store is cross-checked against (tests/store/test_iavl_go_crosscheck.py).
//
// Input (stdin): {"initial_version": N, "versions": [[{"op": "set"|"delete", "key": hex, "value": hex}, ...], ...]}
package main

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"

	"github.com/cosmos/iavl"
	dbm "github.com/cosmos/iavl/db"
)

type op struct {
	Op    string `json:"op"`
	Key   string `json:"key"`
	Value string `json:"value"`
}

type workload struct {
	InitialVersion uint64 `json:"initial_version"`
	Versions       [][]op `json:"versions"`
}

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

func main() {
	var w workload
	if err := json.NewDecoder(os.Stdin).Decode(&w); err != nil {
		panic(err)
	}
	var opts []iavl.Option
	if w.InitialVersion > 1 {
		opts = append(opts, iavl.InitialVersionOption(w.InitialVersion))
	}
	tree := iavl.NewMutableTree(dbm.NewMemDB(), 0, true, iavl.NewNopLogger(), opts...)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for _, ops := range w.Versions {
		for _, o := range ops {
			switch o.Op {
			case "set":
				if _, err := tree.Set(mustHex(o.Key), mustHex(o.Value)); err != nil {
					panic(err)
				}
			case "delete":
				if _, _, err := tree.Remove(mustHex(o.Key)); err != nil {
					panic(err)
				}
			default:
				panic("unknown op " + o.Op)
			}
		}
		hash, _, err := tree.SaveVersion()
		if err != nil {
			panic(err)
		}
		fmt.Fprintln(out, hex.EncodeToString(hash))
	}
}
