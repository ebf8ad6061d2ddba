package jsonata

func defineDateFunctions() {
	def("now", "<s?s?:s>", func(c callCtx, a []any) (any, error) {
		ms := c.ev.instant().UnixMilli()
		return fromMillis(ms, arg(a, 0), arg(a, 1))
	})
	def("millis", "<:n>", func(c callCtx, a []any) (any, error) {
		return float64(c.ev.instant().UnixMilli()), nil
	})
	def("fromMillis", "<n-s?s?:s>", func(c callCtx, a []any) (any, error) {
		x, ok := toNumber(arg(a, 0))
		if !ok {
			return undefined, nil
		}
		return fromMillis(int64(x), arg(a, 1), arg(a, 2))
	})
	def("toMillis", "<s-s?:n>", func(c callCtx, a []any) (any, error) {
		s, ok := arg(a, 0).(string)
		if !ok {
			return undefined, nil
		}
		if pic, ok := arg(a, 1).(string); ok {
			ms, err := parseDateTime(s, pic, c.ev.instant().UnixMilli())
			if noMatch(err) {
				return undefined, nil
			}
			if err != nil {
				return nil, pictureError(err)
			}
			return float64(ms), nil
		}
		ms, err := parseISO(s)
		if err != nil {
			e := pictureError(err).(*Error)
			if e.Code == "" {
				e.Code = "D3110"
			}
			return nil, e
		}
		return float64(ms), nil
	})
}

func fromMillis(ms int64, pic, tz any) (any, error) {
	p, hasPic := pic.(string)
	z, hasTZ := tz.(string)
	if !hasPic && !hasTZ {
		return formatISO(ms), nil
	}
	s, err := formatDateTime(ms, p, z)
	if err != nil {
		return nil, pictureError(err)
	}
	return s, nil
}
