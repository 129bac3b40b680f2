using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>Every vector order for every dtype, computed from exact magnitudes (<see cref="MagnitudeStream"/>)
/// in two passes over the data (statistics, then the sum) with no temporary proportional to the input.
///
/// Values follow numpy's vector path (NaN propagates, inf dominates, |complex(inf, nan)| = inf except for
/// p = 2, zero with p &lt; 0 gives 0, counts for p = 0) but without spurious overflow or underflow: for
/// p &gt; 0 the terms are (|x|/M)^p with M the largest magnitude, for p &lt; 0 (|x|/m)^p with m the smallest,
/// so the sum S lies in [1, n] (or is scaled by an exact power of two) and the result is M·S^(1/p).
/// Precision: integer |p| ≤ 64 uses double-double powers; other p use double-double exp/log per term
/// (or the C library's pow when 1 ≤ |p| ≤ 1000 and the elements are doubles, since S^(1/p) divides that
/// error by p); the root S^(1/p) is a double-double exp/log, and the result is rounded once.</summary>
internal static unsafe class GeneralNorm
{
    private struct Stats
    {
        public long Count, NonZero;
        public bool NaN, Inf, Zero;
        public Ext MaxFinite, MinFinite; // over finite nonzero magnitudes
        public bool HaveFinite;
    }

    private static Stats Scan(ReductionPlan plan, byte* xp, DType t, out bool anyPartNaN)
    {
        var st = new Stats();
        Ext* buf = stackalloc Ext[MagnitudeStream.Block];
        double* scratch = stackalloc double[2 * MagnitudeStream.Block];
        var s = new MagnitudeStream(plan, xp, t);
        int n;
        while ((n = s.Next(buf, scratch)) > 0)
        {
            st.Count += n;
            for (int i = 0; i < n; i++)
            {
                ref Ext a = ref buf[i];
                if (a.IsZero) { st.Zero = true; continue; }
                st.NonZero++;
                if (a.IsNaN) { st.NaN = true; continue; }
                if (a.IsInf) { st.Inf = true; continue; }
                if (!st.HaveFinite) { st.MaxFinite = a; st.MinFinite = a; st.HaveFinite = true; continue; }
                if (Ext.Compare(a, st.MaxFinite) > 0) st.MaxFinite = a;
                if (Ext.Compare(a, st.MinFinite) < 0) st.MinFinite = a;
            }
        }
        anyPartNaN = s.AnyPartNaN;
        return st;
    }

    /// <summary>Computes the order-<paramref name="p"/> norm of the elements at <paramref name="xp"/> and
    /// stores it at <paramref name="op"/>. Empty reductions with p = −∞ must have been rejected by the caller.</summary>
    public static FpEvents Reduce(ReductionPlan plan, byte* xp, DType t, double p, DType ot, byte* op)
    {
        // a zero at a negative order: 0 (NaN with a NaN magnitude) and divide-by-zero, as below, from one cheap scan
        if (p < 0 && plan.InnerShape.Length == 1
            && NegativeZeros.TryStore(xp + plan.InnerBaseOffset, t, plan.InnerCount, plan.InnerStrides[0], op, ot, p, out var zev))
            return zev;
        var st = Scan(plan, xp, t, out bool anyPartNaN);
        if (double.IsNaN(p))
        {
            // numpy forms sum(|x|**nan)**(1/nan); 1**nan = 1 is the one power that is not NaN, so the norm is 1
            // exactly when one element is reduced and its magnitude, in the result's precision, is 1
            bool one = st.Count == 1 && st.HaveFinite && IsOne(st.MaxFinite, ot);
            return ResultWriter.Store(ot, op, one ? 1.0 : double.NaN, 0, 0);
        }
        if (p == 0) return ResultWriter.Store(ot, op, st.NonZero, 0, 0);
        if (double.IsPositiveInfinity(p))
        {
            if (st.NaN) return ResultWriter.Store(ot, op, double.NaN, 0, 0);
            if (st.Inf) return ResultWriter.Store(ot, op, double.PositiveInfinity, 0, 0);
            return ResultWriter.Store(ot, op, st.HaveFinite ? st.MaxFinite : Ext.Zero);
        }
        if (double.IsNegativeInfinity(p))
        {
            if (st.NaN) return ResultWriter.Store(ot, op, double.NaN, 0, 0);
            if (st.Zero) return ResultWriter.Store(ot, op, 0, 0, 0);
            return ResultWriter.Store(ot, op, st.HaveFinite ? st.MinFinite : Ext.Inf);
        }
        if (st.Count == 0)
            return p > 0 ? ResultWriter.Store(ot, op, 0, 0, 0)
                         : ResultWriter.Store(ot, op, double.PositiveInfinity, 0, 0) | FpEvents.ScalarPower;
        var ev = FpEvents.None;
        if (p < 0 && st.Zero) ev |= FpEvents.DivideByZero;
        if (st.NaN || (p == 2 && anyPartNaN)) return ev | ResultWriter.Store(ot, op, double.NaN, 0, 0);
        if (p > 0)
        {
            if (st.Inf) return ResultWriter.Store(ot, op, double.PositiveInfinity, 0, 0);
            if (!st.HaveFinite) return ResultWriter.Store(ot, op, 0, 0, 0);
        }
        else
        {
            if (st.Zero) return ev | ResultWriter.Store(ot, op, 0, 0, 0);
            if (!st.HaveFinite) return ResultWriter.Store(ot, op, double.PositiveInfinity, 0, 0) | FpEvents.ScalarPower;
        }
        return ev | StoreDecided(plan, xp, t, p, ot, op, Sum(plan, xp, t, p, p > 0 ? st.MaxFinite : st.MinFinite));
    }

    /// <summary>Stores r, the line's finite p-norm within ~2⁻⁹⁸/min(1, |p|) + <paramref name="rootError"/> of the exact
    /// one (a double-double value: this class's sums and root, or <see cref="ComplexPowNorm"/>'s; a lane kernel's
    /// cheaper root adds its own relative bound), rounded once — except that a float32/float16 r within that bound
    /// plus <see cref="NarrowTieMargin"/> of a rounding midpoint m has its side of m decided from the line
    /// (<see cref="TryDecide"/>), so every such result is the correctly rounded norm.</summary>
    internal static FpEvents StoreDecided(ReductionPlan plan, byte* xp, DType t, double p, DType ot, byte* op, in Ext r, double rootError = 0)
    {
        if (ot is DType.Float32 or DType.Float16
            && Midpoint.Near(r, ot, NarrowTieMargin / Math.Min(1.0, Math.Abs(p)) + 2 * rootError, out Midpoint m)
            && TryDecide(plan, xp, t, p, m, out int side))
            return ResultWriter.Store(ot, op, m.Neighbour(side), 0, m.Exp + 1);
        return ResultWriter.Store(ot, op, r);
    }

    /// <summary>Relative distance (times min(1, |p|)) from a float32/float16 rounding midpoint within which the
    /// double-double value of <see cref="Sum"/> does not decide the rounding. Its terms and sums are within ~2⁻¹⁰⁰ and
    /// its root divides the sum's error by |p| (within ~2⁻⁹⁸/min(1, |p|) in all); 2⁻⁸⁰ keeps a factor 2¹⁸ over that. A
    /// random narrow result comes this close with probability ~2⁻⁵⁵.</summary>
    private const double NarrowTieMargin = 1.0 / (1L << 40) / (1L << 40); // 2⁻⁸⁰

    /// <summary>The side of midpoint <paramref name="m"/> on which the line's exact norm lies (0: exactly at m), by
    /// <see cref="PowerTie"/> (real elements, whole and half-integer p) or <see cref="GeneralTie"/> (any other p, and
    /// complex elements); false for the orders neither decides.</summary>
    private static bool TryDecide(ReductionPlan plan, byte* xp, DType t, double p, in Midpoint m, out int side)
    {
        side = 0;
        var line = new BlockLine(plan, xp, t);
        bool complex = DTypes.IsComplex(t);
        if (!complex && p == 1) { side = line.SumSide(m); return true; }
        if (!complex && PowerTie.Handles(p)) { side = new PowerTie(p, m).Compare(line.Walk); return true; }
        if (!GeneralTie.Handles(p)) return false;
        side = GeneralTie.Compare(p, m, element =>
        {
            if (!complex) { line.Walk(v => element(v, 0)); return; }
            double re = 0;
            bool odd = false;
            line.Walk(v => { if (odd) element(re, v); else re = v; odd = !odd; });
        });
        return true;
    }

    /// <summary>Whether magnitude <paramref name="a"/> rounds to 1 in the result dtype <paramref name="ot"/> (numpy's
    /// |x| is computed in that precision).</summary>
    private static bool IsOne(Ext a, DType ot)
    {
        if (a.E < -2 || a.E > 2) return false;
        double m = Math.ScaleB(a.H + a.L, a.E);
        return ot switch
        {
            DType.Float32 => (float)m == 1f,
            DType.Float16 => (Half)m == (Half)1,
            DType.LongDouble => a.E == 0 && a.H == 1 && a.L == 0,
            _ => m == 1.0,
        };
    }

    /// <summary>The p-norm of the finite nonzero magnitudes (infinities contribute 0 for p &lt; 0), given the
    /// reference magnitude <paramref name="refMag"/> (max for p &gt; 0, min for p &lt; 0).</summary>
    private static Ext Sum(ReductionPlan plan, byte* xp, DType t, double p, Ext refMag)
    {
        if (p == 1)
        {
            Ext* buf = stackalloc Ext[MagnitudeStream.Block];
            double* scratch = stackalloc double[2 * MagnitudeStream.Block];
            var s = new MagnitudeStream(plan, xp, t);
            int n;
            var acc = new ScaledSum();
            while ((n = s.Next(buf, scratch)) > 0)
                for (int i = 0; i < n; i++)
                    if (buf[i].IsFiniteNonZero) acc.Add(buf[i].E, buf[i].H, buf[i].L);
            return Ext.Normalize(acc.Hi, acc.Lo, acc.Exp);
        }
        PowerSum(plan, xp, t, p, refMag, out double sh, out double sl, out int se, out Ext scale);
        return Root(sh, sl, se, p, scale);
    }

    /// <summary>The line's order-<paramref name="p"/> sum exactly as <see cref="Reduce"/> forms it, for a caller that
    /// takes the root itself: false (nothing computed) when the line holds NaN, ∞, a zero under p &lt; 0 or no finite
    /// nonzero magnitude, which <see cref="Reduce"/> finishes by its rules; else the norm is
    /// <see cref="Root"/>(sh, sl, se, p, scale). For p ≠ 0, ±1, ±∞ (and not NaN).</summary>
    internal static bool TryPowerSum(ReductionPlan plan, byte* xp, DType t, double p, out double sh, out double sl, out int se, out Ext scale)
    {
        var st = Scan(plan, xp, t, out bool anyPartNaN);
        if (st.NaN || st.Inf || (p < 0 && st.Zero) || !st.HaveFinite || (p == 2 && anyPartNaN))
        {
            sh = 0; sl = 0; se = 0; scale = default;
            return false;
        }
        PowerSum(plan, xp, t, p, p > 0 ? st.MaxFinite : st.MinFinite, out sh, out sl, out se, out scale);
        return true;
    }

    /// <summary><see cref="TryPowerSum"/> for a line of 1 … <see cref="MaxShortComplex"/> complex values already widened
    /// to doubles (re, im interleaved at <paramref name="z"/>) and an order p &gt; 0: the same magnitudes
    /// (<see cref="MagnitudeStream"/>'s hypot), the same reference and the same terms in the same order, so the same
    /// sum — each magnitude computed once instead of once per pass. False, with nothing computed, for the lines
    /// <see cref="Reduce"/> finishes by its rules (a NaN or ∞ magnitude, only zeros).</summary>
    internal static bool TryComplexPowerSum(double* z, int n, double p, out double sh, out double sl, out int se, out Ext scale)
    {
        (sh, sl, se, scale) = (0, 0, 0, default);
        Ext* mags = stackalloc Ext[MaxShortComplex];
        Ext max = default;
        bool have = false;
        for (int i = 0; i < n; i++)
        {
            Ext a = mags[i] = Ext.Hypot(Ext.FromDouble(z[2 * i]), Ext.FromDouble(z[2 * i + 1]));
            if (a.IsZero) continue;
            if (!a.IsFiniteNonZero) return false;
            if (!have || Ext.Compare(a, max) > 0) { max = a; have = true; } // Scan's maximum
        }
        if (!have) return false;
        var terms = new PowerTerms(DType.Complex128, p, max);
        terms.Add(mags, n);
        terms.Result(out sh, out sl, out se, out scale);
        return true;
    }

    /// <summary>Longest line <see cref="TryComplexPowerSum"/> takes.</summary>
    internal const int MaxShortComplex = 8;

    /// <summary><see cref="Sum"/> for p ≠ 1 up to its root: the norm is <see cref="Root"/>(sh, sl, se, p, scale).</summary>
    private static void PowerSum(ReductionPlan plan, byte* xp, DType t, double p, Ext refMag, out double sh, out double sl, out int se, out Ext scale)
    {
        Ext* buf = stackalloc Ext[MagnitudeStream.Block];
        double* scratch = stackalloc double[2 * MagnitudeStream.Block];
        var s = new MagnitudeStream(plan, xp, t);
        var terms = new PowerTerms(t, p, refMag);
        int n;
        while ((n = s.Next(buf, scratch)) > 0) terms.Add(buf, n);
        terms.Result(out sh, out sl, out se, out scale);
    }

    /// <summary>The running sum of <see cref="PowerSum"/>: the terms of the finite nonzero magnitudes, block after block
    /// in index order, against the reference magnitude (max for p &gt; 0, min for p &lt; 0).</summary>
    private struct PowerTerms
    {
        private enum Kind { Int, Pow, Log }
        private readonly Kind _kind;
        private readonly double _p;
        private readonly int _ip, _eRef;
        private readonly Ext _ref;
        private readonly double _lrh, _lrl;
        private ScaledSum _acc;
        private double _h, _sc;

        public PowerTerms(DType t, double p, Ext refMag)
        {
            this = default;
            _p = p; _ref = refMag;
            double ap = Math.Abs(p);
            // plain-double Math.Pow terms (≤ 1 ulp each) only where the result is float64 (bound 1 ulp, not correctly
            // rounded); a float32/float16 result (float32, complex64, float16 input) must be decided however close it
            // lies to a rounding midpoint, so its terms are double-double (Kind.Log, ≈ 2⁻¹⁰⁰), as for longdouble
            bool plainPow = t is not (DType.LongDouble or DType.CLongDouble or DType.Float32 or DType.Complex64 or DType.Float16);
            if (ap <= 64 && ap == Math.Floor(ap)) { _kind = Kind.Int; _ip = (int)ap; _eRef = refMag.E; }
            else if (plainPow && ap >= 1 && ap <= 1000)
            {
                // y = |x|·2^-eRef is < 1 for p > 0 (eRef above the max) and ≥ 1 for p < 0 (eRef the min's exponent),
                // so every y^p ≤ 1 and the largest is ≥ 2^-|p|: no overflow, no harmful underflow.
                _kind = Kind.Pow;
                _eRef = p > 0 ? refMag.E + 1 : refMag.E;
            }
            else
            {
                _kind = Kind.Log;
                _lrh = DD.Log(refMag.H, refMag.L, refMag.E, out _lrl);
            }
        }

        /// <summary>Adds the terms of <paramref name="n"/> magnitudes in order (zeros, NaN and ∞ skipped).</summary>
        public void Add(Ext* buf, int n)
        {
            for (int i = 0; i < n; i++)
            {
                ref Ext a = ref buf[i];
                if (!a.IsFiniteNonZero) continue;
                switch (_kind)
                {
                    case Kind.Int:
                    {
                        double h = PowInt(a.H, a.L, _ip, out double l);
                        int e = (a.E - _eRef) * _ip;
                        if (_p < 0) { h = DD.Div(1, 0, h, l, out l); e = -e; }
                        _acc.Add(e, h, l);
                        break;
                    }
                    case Kind.Pow:
                    {
                        double y = Math.ScaleB(a.H + a.L, a.E - _eRef);
                        double term = Math.Pow(y, _p);
                        _h = DD.TwoSum(_h, term, out double e);
                        _sc += e;
                        break;
                    }
                    default:
                    {
                        double lh = DD.Log(a.H, a.L, a.E, out double ll);
                        DD.Add(ref lh, ref ll, -_lrh, -_lrl);
                        double xh = DD.Mul(lh, ll, _p, 0, out double xl);
                        double th = DD.Exp(xh, xl, out double tl, out int k);
                        _acc.Add(k, th, tl);
                        break;
                    }
                }
            }
        }

        /// <summary>The sum so far: the norm is <see cref="Root"/>(sh, sl, se, p, scale).</summary>
        public readonly void Result(out double sh, out double sl, out int se, out Ext scale)
        {
            switch (_kind)
            {
                case Kind.Int: (sh, sl, se, scale) = (_acc.Hi, _acc.Lo, _acc.Exp, new Ext(1, 0, _eRef)); break;
                case Kind.Pow:
                    sh = DD.FastTwoSum(_h, _sc, out sl);
                    (se, scale) = (0, new Ext(1, 0, _eRef));
                    break;
                default: (sh, sl, se, scale) = (_acc.Hi, _acc.Lo, _acc.Exp, _ref); break;
            }
        }
    }

    /// <summary>(h + l)^k for k ≥ 0 by binary powering in double-double (k = 0: 1; h ∈ [1, 2), k ≤ 64: no overflow;
    /// <see cref="PowerTie"/>'s ratios h ≤ ~1 only underflow).</summary>
    internal static double PowInt(double h, double l, int k, out double lo)
    {
        double rh = 1, rl = 0;
        double bh = h, bl = l;
        while (true)
        {
            if ((k & 1) != 0) rh = DD.Mul(rh, rl, bh, bl, out rl);
            k >>= 1;
            if (k == 0) break;
            bh = DD.Mul(bh, bl, bh, bl, out bl);
        }
        lo = rl;
        return rh;
    }

    /// <summary>scale · ((sh + sl)·2^se)^(1/p), via double-double log and exp.</summary>
    internal static Ext Root(double sh, double sl, int se, double p, Ext scale)
    {
        if (sh <= 0) return p > 0 ? Ext.Zero : Ext.Inf;
        // S^(1/p) for p = 0.5 and −1 is S² and 1/S: one double-double product or quotient (≲ 2⁻¹⁰⁴ relative, no
        // overflow: the caller's S is a double-double with a separate exponent) instead of log and exp, which were
        // most of the per-output cost of these orders over an axis
        if (p == 0.5 || p == -1)
        {
            Ext n = Ext.Normalize(sh, sl, se); // H ∈ [1, 2): the square or reciprocal of H + L cannot overflow
            double qh = p > 0 ? DD.Mul(n.H, n.L, n.H, n.L, out double ql) : DD.Div(1, 0, n.H, n.L, out ql);
            return Ext.Mul(Ext.Normalize(qh, ql, p > 0 ? 2L * n.E : -(long)n.E), scale);
        }
        double lh = DD.Log(sh, sl, se, out double ll);
        double q = lh / p;
        if (!(Math.Abs(q) <= DD.ExpLimit)) return q > 0 ? new Ext(1, 0, int.MaxValue / 4) : Ext.Zero;
        double xh = DD.Div(lh, ll, p, 0, out double xl);
        double eh = DD.Exp(xh, xl, out double el, out int k);
        if (eh == 0) return Ext.Zero;
        Ext r = Ext.Normalize(eh, el, k);
        return Ext.Mul(r, scale);
    }
}
