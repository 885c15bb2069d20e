// Package exchanges reads whole sessions out of a recordings store: the
// one paging loop the replay, test, desktop session view and contract
// runs share. It imports recordings only.
package exchanges
