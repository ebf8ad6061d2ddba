package intrinsic

// javaRandom is the linear congruential generator of java.util.Random, so that a seeded
// MathRandom is reproducible across runs and likely to match a Java implementation.
type javaRandom struct{ seed uint64 }

const (
	javaMultiplier = 0x5DEECE66D
	javaMask       = 1<<48 - 1
)

func newJavaRandom(seed int64) *javaRandom {
	return &javaRandom{seed: (uint64(seed) ^ javaMultiplier) & javaMask}
}

func (r *javaRandom) next(bits uint) int64 {
	r.seed = (r.seed*javaMultiplier + 0xB) & javaMask
	return int64(int32(r.seed >> (48 - bits))) // Java's (int) cast keeps the sign bit
}

func (r *javaRandom) nextLong() int64 {
	return r.next(32)<<32 + r.next(32)
}

// int63n returns a number in [0, n) for n > 0; n beyond int32 uses rejection over
// nextLong, small n follows Java's nextInt(bound).
func (r *javaRandom) int63n(n int64) int64 {
	if n <= 0 {
		return r.nextLong()
	}
	if n <= 1<<31-1 {
		bound := int32(n)
		if bound&-bound == bound {
			return (n * r.next(31)) >> 31
		}
		for {
			bits := int32(r.next(31))
			val := bits % bound
			if bits-val+(bound-1) >= 0 {
				return int64(val)
			}
		}
	}
	for {
		v := r.nextLong() & (1<<63 - 1)
		if v < (1<<63-1)-(1<<63-1)%n {
			return v % n
		}
	}
}
