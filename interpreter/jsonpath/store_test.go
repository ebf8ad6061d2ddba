package jsonpath

import "testing"

// storeDoc is the document of Jayway's README, the usual yardstick for JSONPath
// implementations.
const storeDoc = `{
  "store": {
    "book": [
      {"category": "reference", "author": "Nigel Rees", "title": "Sayings of the Century", "price": 8.95},
      {"category": "fiction", "author": "Evelyn Waugh", "title": "Sword of Honour", "price": 12.99},
      {"category": "fiction", "author": "Herman Melville", "title": "Moby Dick", "isbn": "0-553-21311-3", "price": 8.99},
      {"category": "fiction", "author": "J. R. R. Tolkien", "title": "The Lord of the Rings", "isbn": "0-395-19395-8", "price": 22.99}
    ],
    "bicycle": {"color": "red", "price": 19.95}
  },
  "expensive": 10
}`

const (
	book0 = `{"category":"reference","author":"Nigel Rees","title":"Sayings of the Century","price":8.95}`
	book1 = `{"category":"fiction","author":"Evelyn Waugh","title":"Sword of Honour","price":12.99}`
	book2 = `{"category":"fiction","author":"Herman Melville","title":"Moby Dick","isbn":"0-553-21311-3","price":8.99}`
	book3 = `{"category":"fiction","author":"J. R. R. Tolkien","title":"The Lord of the Rings","isbn":"0-395-19395-8","price":22.99}`
	bike  = `{"color":"red","price":19.95}`
	books = `[` + book0 + `,` + book1 + `,` + book2 + `,` + book3 + `]`
)

func TestStoreQueries(t *testing.T) {
	authors := `["Nigel Rees","Evelyn Waugh","Herman Melville","J. R. R. Tolkien"]`
	runEvalCases(t, []evalCase{
		{path: "$.store.book[*].author", doc: storeDoc, want: authors},
		{path: "$..author", doc: storeDoc, want: authors},
		{path: "$.store.*", doc: storeDoc, want: `[` + books + `,` + bike + `]`},
		{path: "$.store..price", doc: storeDoc, want: `[8.95,12.99,8.99,22.99,19.95]`},
		{path: "$..book[2]", doc: storeDoc, want: `[` + book2 + `]`},
		{path: "$..book[-2]", doc: storeDoc, want: `[` + book2 + `]`},
		{path: "$..book[0,1]", doc: storeDoc, want: `[` + book0 + `,` + book1 + `]`},
		{path: "$..book[:2]", doc: storeDoc, want: `[` + book0 + `,` + book1 + `]`},
		{path: "$..book[1:2]", doc: storeDoc, want: `[` + book1 + `]`},
		{path: "$..book[-2:]", doc: storeDoc, want: `[` + book2 + `,` + book3 + `]`},
		{path: "$..book[2:]", doc: storeDoc, want: `[` + book2 + `,` + book3 + `]`},
		{path: "$..book[?(@.isbn)]", doc: storeDoc, want: `[` + book2 + `,` + book3 + `]`},
		{path: "$.store.book[?(@.price < 10)]", doc: storeDoc, want: `[` + book0 + `,` + book2 + `]`},
		{path: "$..book[?(@.price <= $['expensive'])]", doc: storeDoc, want: `[` + book0 + `,` + book2 + `]`},
		{path: "$..book[?(@.author =~ /.*REES/i)]", doc: storeDoc, want: `[` + book0 + `]`},
		{path: "$..book[?(@.category == 'fiction' && @.price > 10)].title", doc: storeDoc, want: `["Sword of Honour","The Lord of the Rings"]`},
		{path: "$.store.book[0].title", doc: storeDoc, want: `"Sayings of the Century"`},
		{path: "$.store.bicycle.color", doc: storeDoc, want: `"red"`},
		{path: "$['store']['book'][3]['isbn']", doc: storeDoc, want: `"0-395-19395-8"`},
		{path: "$.store.book[*]['author','price']", doc: storeDoc, want: `[{"author":"Nigel Rees","price":8.95},{"author":"Evelyn Waugh","price":12.99},{"author":"Herman Melville","price":8.99},{"author":"J. R. R. Tolkien","price":22.99}]`},
		{path: "$..*", doc: `{"a":{"b":1}}`, want: `[{"b":1},1]`},
		{path: "$.store.book[0].isbn", doc: storeDoc, err: "No results for path: $['store']['book'][0]['isbn']"},
		{path: "$.store.pencil.color", doc: storeDoc, err: "Missing property in path $['store']['pencil']"},
	})
}
