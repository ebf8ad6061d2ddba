package jsonata

import (
	"errors"
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

const orders = `{"Account": {"Name": "Firefly", "Order": [
	{"OrderID": "o1", "Product": [{"Name": "Hat", "Price": 34.45, "Quantity": 2}, {"Name": "Trilby", "Price": 21.67, "Quantity": 1}]},
	{"OrderID": "o2", "Product": [{"Name": "Hat", "Price": 34.45, "Quantity": 4}, {"Name": "Cloak", "Price": 107.99, "Quantity": 1}]}]}}`

// Each row is an expression, and either its JSON result, "undefined", or "!CODE".
var behaviour = []struct{ expr, want string }{
	// paths, predicates, sequences
	{`Account.Order.Product.Price`, `[34.45,21.67,34.45,107.99]`},
	{`Account.Order.Product[0].Name`, `["Hat","Hat"]`},
	{`(Account.Order.Product)[0].Name`, `"Hat"`},
	{`Account.Order[1].Product[-1].Name`, `"Cloak"`},
	{`Account.Order[0].OrderID[]`, `["o1"]`},
	{`Account.Order.Product[Price > 30].Name`, `["Hat","Hat","Cloak"]`},
	{`Account.Order.Product[[0..0]].Name`, `["Hat","Hat"]`},
	{`Account.Missing`, `undefined`},
	{`Account.*.Product.Name`, `["Hat","Trilby","Hat","Cloak"]`},
	{`**.OrderID`, `["o1","o2"]`},
	{`Account.Order.[OrderID]`, `[["o1"],["o2"]]`},
	{`[Account.Order.OrderID]`, `["o1","o2"]`},
	// parent, focus and index bindings
	{`Account.Order.Product.{"o": %.OrderID, "n": Name}[0]`, `{"o":"o1","n":"Hat"}`},
	{`Account.Order.Product.%.%.Name`, `["Firefly","Firefly","Firefly","Firefly"]`},
	{`Account.Order#$i.Product[$i = 1].Name`, `["Hat","Cloak"]`},
	{`Account.Order@$o.$o.OrderID`, `["o1","o2"]`},
	{`Account.Order@$o.Product`, `undefined`},
	// grouping and sorting
	{`Account.Order.Product{Name: $sum(Price)}`, `{"Hat":68.9,"Trilby":21.67,"Cloak":107.99}`},
	{`Account.Order.Product{Name: Price * Quantity}`, `!T2001`},
	{`Account.Order.Product^(>Price, Name).Name`, `["Cloak","Hat","Hat","Trilby"]`},
	{`Account.Order.Product{Price: Name}`, `!T1003`},
	// operators
	{`1 + 2 * 3 - 4 / 2`, `5`},
	{`7 % 3`, `1`},
	{`"a" & 1 & true`, `"a1true"`},
	{`1 + "1"`, `!T2002`},
	{`"x" - 1`, `!T2001`},
	{`nothing + 1`, `undefined`},
	{`1 < "2"`, `!T2009`},
	{`{} < 1`, `!T2010`},
	{`[1,2] = [1,2]`, `true`},
	{`nothing = nothing`, `false`},
	{`3 in [1,2,3]`, `true`},
	{`-(1)`, `-1`},
	{`-"a"`, `!D1002`},
	{`[1..4]`, `[1,2,3,4]`},
	{`[1.5..3]`, `!T2003`},
	{`[1..1e8]`, `!D2014`},
	{`true ? 1 : 2`, `1`},
	{`false ? 1`, `undefined`},
	{`"" ?: "empty"`, `"empty"`},
	{`null ?? 5`, `null`},
	{`nothing ?? 5`, `5`},
	{`true and "" or 0`, `false`},
	// blocks, variables, closures
	{`($x := 2; $y := $x * 3; $y)`, `6`},
	{`($x := 1; ($x := 2); $x)`, `1`},
	{`($add := function($a){function($b){$a + $b}}; $add(2)(3))`, `5`},
	{`($f := function($n){$n < 2 ? $n : $f($n-1) + $f($n-2)}; $f(15))`, `610`},
	{`($loop := function($n, $acc){$n = 0 ? $acc : $loop($n - 1, $acc + 1)}; $loop(50000, 0))`, `50000`},
	{`($first := $substring(?, 0, 1); $first("hello"))`, `"h"`},
	{`($up := $uppercase ~> $substring(?, 1); $up("hello"))`, `"ELLO"`},
	{`"hello" ~> $uppercase() ~> $substring(0, 2)`, `"HE"`},
	{`$x`, `undefined`},
	{`sum([1])`, `!T1005`},
	{`nothere()`, `!T1006`},
	{`1(2)`, `!T1006`},
	{`$undefinedfn(?)`, `!T1008`},
	{`function($x)<n:n>{$x}("a")`, `!T0410`},
	{`function($x)<s->{$x}()`, `!T0411`},
	// transforms
	{`Account.Order[0] ~> |Product|{"Total": Price * Quantity}, ["Price", "Quantity"]|`, `{"OrderID":"o1","Product":[{"Name":"Hat","Total":68.9},{"Name":"Trilby","Total":21.67}]}`},
	{`Account ~> |Order|"x"|`, `!T2011`},
	{`Account ~> |Order|{}, 5|`, `!T2012`},
	// strings
	{`$substring("hello world", -5, 3)`, `"wor"`},
	{`$substringBefore("a-b-c", "-")`, `"a"`},
	{`$pad("7", -3, "0")`, `"007"`},
	{`$trim("  a \n b  ")`, `"a b"`},
	{`$split("a,b,c", ",", 2)`, `["a","b"]`},
	{`$split("a,b", ",", -1)`, `!D3020`},
	{`$join(["a","b"], "+")`, `"a+b"`},
	{`$replace("John Smith", /(\w+)\s(\w+)/, "$2, $1")`, `"Smith, John"`},
	{`$replace("265USD", /([0-9]+)USD/, "$$$1")`, `"$265"`},
	{`$replace("abc", "", "x")`, `!D3010`},
	{`$replace("abc", /x*/, "-")`, `!D1004`},
	{`$replace("abc", /b/, function($m){$uppercase($m.match)})`, `"aBc"`},
	{`$match("ab12cd345", /\d+/).match`, `["12","345"]`},
	{`$match("abc", /(?<l>b)(x)?/).groups`, `["b",""]`},
	{`$contains("Hello", /^h/i)`, `true`},
	{`$split("a1b22c", /\d+/)`, `["a","b","c"]`},
	{`$string({"a": [1, 0.1 + 0.2]})`, `"{\"a\":[1,0.3]}"`},
	{`$string(1e21)`, `"1e+21"`},
	{`$string(1/0)`, `!D3001`},
	{`$length("💡ab")`, `3`},
	{`$base64encode("hello")`, `"aGVsbG8="`},
	{`$encodeUrlComponent("a b&c")`, `"a%20b%26c"`},
	{`$decodeUrl("a%20b%2Fc")`, `"a b%2Fc"`},
	{`$decodeUrlComponent("%E0%A4%A")`, `!D3140`},
	// numbers
	{`$number("12.5e1")`, `125`},
	{`$number("x")`, `!D3030`},
	{`[$round(2.5), $round(3.5), $round(1.005, 2), $round(125, -1)]`, `[2,4,1,120]`},
	{`$formatBase(255, 16)`, `"ff"`},
	{`$formatBase(1, 40)`, `!D3100`},
	{`$power(10, 400)`, `!D3061`},
	{`$sqrt(-4)`, `!D3060`},
	{`$abs(-3.5)`, `3.5`},
	{`[$floor(-1.5), $ceil(-1.5)]`, `[-2,-1]`},
	// aggregates, arrays, objects
	{`$sum(Account.Order.Product.(Price * Quantity))`, `336.36`},
	{`$max(Account.Order.Product.Price)`, `107.99`},
	{`$average([1, 2, 3, 4])`, `2.5`},
	{`$sum("a")`, `!T0412`},
	{`$count(Account.Order.Product)`, `4`},
	{`$append([1], [2, 3])`, `[1,2,3]`},
	{`$sort([3, 1, 2])`, `[1,2,3]`},
	{`$sort(["b", 1])`, `!D3070`},
	{`$sort(Account.Order.Product, function($a, $b){$a.Price > $b.Price}).Name`, `["Trilby","Hat","Hat","Cloak"]`},
	{`$reverse([1, 2, 3])`, `[3,2,1]`},
	{`$distinct([1, "1", 1, [1], [1]])`, `[1,"1",[1]]`},
	{`$zip([1, 2, 3], ["a", "b"])`, `[[1,"a"],[2,"b"]]`},
	{`$keys(Account.Order.Product)`, `["Name","Price","Quantity"]`},
	{`$lookup(Account.Order, "OrderID")`, `["o1","o2"]`},
	{`$spread({"a": 1, "b": 2})`, `[{"a":1},{"b":2}]`},
	{`$merge([{"a": 1}, {"a": 2, "b": 3}])`, `{"a":2,"b":3}`},
	{`$each({"a": 1, "b": 2}, function($v, $k){$k & $v})`, `["a1","b2"]`},
	{`$sift({"a": 1, "b": 2}, function($v){$v > 1})`, `{"b":2}`},
	{`$type([])`, `"array"`},
	{`$type(null)`, `"null"`},
	{`$exists(Account.Nothing)`, `false`},
	{`$boolean([[], 0, "x"])`, `true`},
	{`$not(Account)`, `false`},
	{`$map([1, 2, 3], function($v, $i){$v * $i})`, `[0,2,6]`},
	{`$filter([1, 2, 3, 4], function($v){$v % 2 = 0})`, `[2,4]`},
	{`$reduce([1, 2, 3, 4], function($a, $b){$a + $b}, 10)`, `20`},
	{`$reduce([1], function($a){$a})`, `!D3050`},
	{`$single([1, 2, 3], function($v){$v > 2})`, `3`},
	{`$single([1, 2, 3], function($v){$v > 1})`, `!D3138`},
	{`$single([1, 2, 3], function($v){$v > 5})`, `!D3139`},
	{`$error("stop")`, `!D3137`},
	{`$assert(1 = 2, "no")`, `!D3141`},
	{`$eval("1 + $")`, `!D3121`},
	{`$eval("[1, 2")`, `!D3120`},
	{`$eval("Account.Name")`, `"Firefly"`},
	// dates
	{`$fromMillis(1510067557121)`, `"2017-11-07T15:12:37.121Z"`},
	{`$toMillis("2017-11-07T15:12:37.121Z")`, `1510067557121`},
	{`$fromMillis(0, "[Y0001]-[M01]-[D01]")`, `"1970-01-01"`},
	{`$toMillis("nonsense", "[Y0001]")`, `undefined`},
	// syntax
	{`Account.`, `!S0207`},
	{`(1; 2`, `!S0203`},
	{`1 2`, `!S0201`},
	{`"abc`, `!S0101`},
	{"`abc", `!S0105`},
	{`"\q"`, `!S0103`},
	{`/* open`, `!S0106`},
	{`$f := 1; $f`, `!S0201`},
	{`1 := 2`, `!S0212`},
	{`a.1`, `!S0213`},
	{`a @ b`, `!S0214`},
	{`function(a){1}`, `!S0208`},
	{`%`, `!S0217`},
	{`a{"x": 1}{"y": 2}`, `!S0210`},
	{`$x{"x": 1}[0]`, `!S0209`},
	{`a[0]@$x`, `!S0215`},
	{`a^(b)@$x`, `!S0216`},
	{`//`, `!S0301`},
	{`/abc`, `!S0302`},
	{`*x`, `!S0201`},
	{`?`, `!S0211`},
	{`1 ! 2`, `!S0204`},
}

func TestBehaviour(t *testing.T) {
	in := value.MustParse(orders)
	for _, tt := range behaviour {
		e, err := Compile(tt.expr)
		var got any
		if err == nil {
			got, err = e.Evaluate(in, nil, nil)
		}
		switch {
		case tt.want == "undefined":
			if !errors.Is(err, ErrUndefined) {
				t.Errorf("%s: want undefined, got %v, %v", tt.expr, value.String(got), err)
			}
		case tt.want[0] == '!':
			var je *Error
			if !errors.As(err, &je) || je.Code != tt.want[1:] {
				t.Errorf("%s: want error %s, got %v, %v", tt.expr, tt.want[1:], value.String(got), err)
			}
		default:
			if err != nil {
				t.Errorf("%s: want %s, got %v", tt.expr, tt.want, err)
				continue
			}
			if !deepEqual(got, value.MustParse(tt.want)) {
				t.Errorf("%s = %s, want %s", tt.expr, value.String(got), tt.want)
			}
		}
	}
}

func TestConstructedObjectsOrderKeysAsJavaScript(t *testing.T) {
	v, err := MustCompile(`$keys({"b": 1, "10": 2, "2": 3, "a": 4, "01": 5})`).Evaluate(nil, nil, nil)
	if err != nil || value.String(v) != `["2","10","b","a","01"]` {
		t.Errorf("got %s, %v", value.String(v), err)
	}
}

// A custom matcher is a function returning the reference's match structure, with next()
// giving the following match.
func TestCustomMatcher(t *testing.T) {
	const matcher = `($m := function($s){ $mk($s, $contains($s, "x") ? $length($substringBefore($s, "x")) : -1) };
		$mk := function($s, $i){ $i < 0 ? undefined : {"match": "x", "start": $i, "end": $i + 1, "groups": [],
			"next": function(){ ($j := $length($substringBefore($substring($s, $i + 1), "x")); $j + $i + 1 < $length($s) ? $mk($s, $j + $i + 1) : undefined) }} };
		{"split": $split("axbxc", $m), "replace": $replace("axbxc", $m, "-"), "index": $match("axbxc", $m).index, "contains": $contains("abc", $m)})`
	v, err := MustCompile(matcher).Evaluate(nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := value.String(v); got != `{"split":["a","b","c"],"replace":"a-b-c","index":[1,3],"contains":false}` {
		t.Errorf("got %s", got)
	}
	_, err = MustCompile(`$split("some text", $uppercase)`).Evaluate(nil, nil, nil)
	var je *Error
	if !errors.As(err, &je) || je.Code != "T1010" {
		t.Errorf("a function that is no matcher: want T1010, got %v", err)
	}
}
