package asl

import "testing"

func TestScopeFind(t *testing.T) {
	def, err := Parse([]byte(`{"StartAt":"Par","States":{"Par":{"Type":"Parallel","End":true,"Branches":[
		{"StartAt":"Each","States":{"Each":{"Type":"Map","End":true,
			"ItemProcessor":{"StartAt":"Deep","States":{"Deep":{"Type":"Pass","End":true}}}}}}]}}}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Par", "Each", "Deep"} {
		if st := def.Find(name); st == nil || st.Name != name {
			t.Errorf("Find(%q) = %v", name, st)
		}
	}
	if st := def.Find("Nowhere"); st != nil {
		t.Errorf("Find of a missing state: %v", st.Name)
	}
	var none *Scope
	if none.Find("Par") != nil {
		t.Error("a nil scope finds a state")
	}
}
