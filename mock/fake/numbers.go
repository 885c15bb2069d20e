package fake

import (
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// maxSafe bounds generated integers to what a float64 (and so JSON in most
// clients) holds exactly.
const maxSafe = 1 << 53

// bounds is a numeric interval from minimum/maximum/exclusive*.
type bounds struct {
	lo, hi     float64
	loEx, hiEx bool
}

func declared(v *openapi3.Schema) bounds {
	b := bounds{lo: math.Inf(-1), hi: math.Inf(1)}
	if v.Min != nil && !math.IsNaN(*v.Min) {
		b.lo, b.loEx = *v.Min, isTrue(v.ExclusiveMin.Bool)
	}
	if x := v.ExclusiveMin.Value; x != nil && *x >= b.lo {
		b.lo, b.loEx = *x, true
	}
	if v.Max != nil && !math.IsNaN(*v.Max) {
		b.hi, b.hiEx = *v.Max, isTrue(v.ExclusiveMax.Bool)
	}
	if x := v.ExclusiveMax.Value; x != nil && *x <= b.hi {
		b.hi, b.hiEx = *x, true
	}
	return b
}

func (b bounds) contains(x float64) bool {
	switch {
	case math.IsNaN(x), math.IsInf(x, 0):
		return false
	case x < b.lo, x == b.lo && b.loEx:
		return false
	case x > b.hi, x == b.hi && b.hiEx:
		return false
	}
	return true
}

// rangeFor is the realistic range, and number of decimals, for a kind.
func rangeFor(k kind, integer bool) (lo, hi float64, dec int) {
	switch k {
	case kindID, kindNumberID:
		return 1, 99999, 0
	case kindAge:
		return 18, 90, 0
	case kindCount:
		return 0, 100, 0
	case kindMoney:
		return 1, 1000, 2
	case kindPercent:
		return 0, 100, 1
	case kindRating:
		return 1, 5, 0
	case kindYear:
		return 1990, 2030, 0
	case kindMonth:
		return 1, 12, 0
	case kindDay:
		return 1, 28, 0
	case kindHour:
		return 0, 23, 0
	case kindMinute:
		return 0, 59, 0
	case kindLatitude:
		return -90, 90, 6
	case kindLongitude:
		return -180, 180, 6
	case kindPort:
		return 1024, 65535, 0
	case kindSize:
		return 1, 100000, 0
	case kindPage:
		return 1, 10, 0
	case kindPageSize:
		return 10, 100, 0
	case kindOffset:
		return 0, 100, 0
	case kindDateTime, kindDate:
		return epochFrom, epochTo, 0
	case kindDuration:
		return 60, 7200, 0
	case kindStatus, kindVersion:
		return 1, 5, 0
	}
	if integer {
		return 1, 1000, 0
	}
	return 0, 1000, 2
}

// window returns the part of [lo, hi] inside the realistic [rlo, rhi], or,
// when they do not meet, a window as wide as the realistic range at the edge
// of [lo, hi] nearest to it.
func window(lo, hi, rlo, rhi float64) (float64, float64) {
	a, z := max(lo, rlo), min(hi, rhi)
	if a <= z {
		return a, z
	}
	w := rhi - rlo
	if lo > rhi {
		return lo, min(hi, lo+w)
	}
	return max(lo, hi-w), hi
}

// rand64 returns a number in [0, span].
func (st *state) rand64(span float64) float64 {
	if span <= 0 || math.IsNaN(span) {
		return 0
	}
	if span >= maxSafe {
		span = maxSafe - 1
	}
	return float64(st.f.Uint64() % (uint64(span) + 1))
}

func finite(x float64) float64 {
	switch {
	case math.IsNaN(x):
		return 0
	case x > maxSafe:
		return maxSafe
	case x < -maxSafe:
		return -maxSafe
	}
	return x
}

// intBounds is the integer interval inside v's bounds and format range.
func intBounds(v *openapi3.Schema) (lo, hi float64) {
	b := declared(v)
	lo, hi = math.Ceil(b.lo), math.Floor(b.hi)
	if b.loEx && lo == b.lo {
		lo++
	}
	if b.hiEx && hi == b.hi {
		hi--
	}
	flo, fhi := float64(-maxSafe), float64(maxSafe)
	if v.Format == "int32" {
		flo, fhi = math.MinInt32, math.MaxInt32
	}
	return max(lo, flo), min(hi, fhi)
}

// genInteger returns an int64 inside v's bounds, multipleOf and format.
func (st *state) genInteger(v *openapi3.Schema, hint string) any {
	lo, hi := intBounds(v)
	if lo > hi {
		return int64(finite(lo)) // contradictory bounds: best effort
	}
	if statusKeys[st.hi(hint).n] {
		if c := float64(st.servedStatus()); c >= lo && c <= hi && (v.MultipleOf == nil || multipleOK(c, *v.MultipleOf)) {
			return int64(c)
		}
	}
	rlo, rhi, _ := rangeFor(st.hi(hint).k, true)
	a, z := window(lo, hi, rlo, rhi)
	if m := v.MultipleOf; m != nil && *m > 0 && !math.IsInf(*m, 0) {
		step := *m
		if step != math.Trunc(step) {
			step = integralStep(step)
		}
		if step > 0 && step < maxSafe {
			for _, r := range [2][2]float64{{a, z}, {lo, hi}} {
				kmin, kmax := math.Ceil(r[0]/step), math.Floor(r[1]/step)
				if kmin <= kmax {
					return int64(finite((kmin + st.rand64(kmax-kmin)) * step))
				}
			}
			return int64(finite(math.Round(lo/step) * step))
		}
	}
	return int64(a + st.rand64(z-a))
}

// integralStep returns the smallest integer multiple of a fractional m (up
// to m*1000), or 0.
func integralStep(m float64) float64 {
	for d := 2.0; d <= 1000; d++ {
		x := m * d
		if r := math.Round(x); r >= 1 && math.Abs(x-r) <= 1e-9*x {
			return r
		}
	}
	return 0
}

// genNumber returns a float64 inside v's bounds and multipleOf, with a
// realistic number of decimals.
func (st *state) genNumber(v *openapi3.Schema, hint string) any {
	k := st.hi(hint).k
	b := declared(v)
	if statusKeys[st.hi(hint).n] {
		if c := float64(st.servedStatus()); b.contains(c) && (v.MultipleOf == nil || multipleOK(c, *v.MultipleOf)) {
			return c
		}
	}
	if formatKindOf(v.Format) == fmtInt || k.integral() && v.MultipleOf == nil {
		if x := float64(st.genInteger(v, hint).(int64)); b.contains(x) {
			return x
		}
	}
	if b.lo > b.hi || b.lo == b.hi && (b.loEx || b.hiEx) {
		return finite(b.lo) // contradictory bounds: best effort
	}
	rlo, rhi, dec := rangeFor(k, false)
	a, z := window(b.lo, b.hi, rlo, rhi)
	if m := v.MultipleOf; m != nil && *m > 0 && !math.IsInf(*m, 0) {
		d := decimals(*m)
		for _, r := range [2][2]float64{{a, z}, {b.lo, b.hi}} {
			kmin, kmax := math.Ceil(r[0] / *m), math.Floor(r[1] / *m)
			if kmin > kmax || math.IsInf(kmin, 0) || math.IsInf(kmax, 0) {
				continue
			}
			for try := 0; try < 3; try++ {
				x := (kmin + st.rand64(kmax-kmin)) * *m
				if d >= 0 {
					if xr := roundTo(x, d); b.contains(xr) && multipleOK(xr, *m) {
						return xr
					}
				}
				if b.contains(x) && multipleOK(x, *m) {
					return x
				}
			}
		}
		return finite(a)
	}
	x := a + st.f.Float64()*(z-a)
	if xr := roundTo(x, dec); b.contains(xr) {
		return xr
	}
	if b.contains(x) {
		return x
	}
	if mid := a/2 + z/2; b.contains(mid) {
		return mid
	}
	return finite(a)
}

// decimals returns the number of decimals in m's shortest representation,
// or -1 for exponent forms.
func decimals(m float64) int {
	s := strconv.FormatFloat(m, 'f', -1, 64)
	i := strings.IndexByte(s, '.')
	if i < 0 {
		return 0
	}
	if n := len(s) - i - 1; n <= 15 {
		return n
	}
	return -1
}

// multipleOfSlack mirrors kin-openapi's tolerance: a value counts as a
// multiple when within 2^-51 of itself of one.
const multipleOfSlack = 51

// multipleOK reports whether kin-openapi accepts value as a multiple of m.
func multipleOK(value, m float64) bool {
	if math.IsNaN(m) || math.IsInf(m, 0) || m <= 0 || math.IsNaN(value) || math.IsInf(value, 0) {
		return m > 0
	}
	v := new(big.Rat).SetFloat64(value)
	mr := new(big.Rat).SetFloat64(m)
	q := new(big.Rat).Quo(v, mr)
	if q.IsInt() {
		return true
	}
	floor := new(big.Int).Div(q.Num(), q.Denom())
	var dist *big.Rat
	for _, k := range []*big.Int{floor, new(big.Int).Add(floor, big.NewInt(1))} {
		gap := new(big.Rat).Sub(v, new(big.Rat).Mul(new(big.Rat).SetInt(k), mr))
		gap.Abs(gap)
		if dist == nil || gap.Cmp(dist) < 0 {
			dist = gap
		}
	}
	tol := new(big.Rat).Mul(new(big.Rat).Abs(v), new(big.Rat).SetFrac(big.NewInt(1), new(big.Int).Lsh(big.NewInt(1), multipleOfSlack)))
	return dist.Cmp(tol) <= 0
}
