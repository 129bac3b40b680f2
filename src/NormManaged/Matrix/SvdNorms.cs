using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NormManaged.Engine;
using NormManaged.Kernels;

namespace NormManaged.Matrix;

/// <summary>Which function of the singular values a norm takes.</summary>
internal enum SvdOrd { Max, Min, Sum }

/// <summary>Matrix norms of order 2 (σ_max), −2 (σ_min) and nuclear (Σσ) for every matrix of a
/// batch. Each matrix is widened to float64 (complex: the real 2m×2n embedding
/// [[Re, −Im], [Im, Re]], whose singular values are those of the matrix, each twice), oriented
/// so that it has at least as many rows as columns, scaled by a power of two so that its largest
/// entry lies in [1, 2), and handed to <see cref="SvdKernel"/>; 2×2 real matrices use closed
/// forms and 1×n / n×1 matrices the exact vector 2-norm. The result is rounded once to the
/// result dtype.</summary>
internal static unsafe class SvdNorms
{

    /// <summary>From this many (embedded) columns on, ord 2 and nuc take the bidiagonal route: σ_max
    /// needs no more than backward stability (it is refined afterwards) and nuc no more than dqds'
    /// accuracy. Measured on stacks of 2000 square float64 matrices, NumPy ÷ ours (median of 6
    /// alternating runs, Jacobi → bidiagonal): ord 2 6×6 1.04 → 1.30, 7×7 0.92 → 1.41, 10×10 0.62 →
    /// 0.83; nuc 6×6 1.28 → 1.80, 10×10 0.82 → 1.71; at 5×5 nuc was faster on Jacobi (1.88 vs 1.48).
    /// (Was 12.)</summary>
    internal static int BidiagonalThreshold = 6;

    /// <summary>Complex ord 2 / nuc take the complex bidiagonal route from this many columns on
    /// (cheaper than Jacobi on the real embedding even for 2×2).</summary>
    internal static int ComplexBidiagonalFrom = 2;

    /// <summary>Real ord 2 on the bidiagonal route refines σ_max with
    /// <see cref="SigmaMaxBidiagonal"/> (O(m·n)) from this many columns on; below it with
    /// <see cref="SigmaMaxRefine"/> (explicit AᵀA, O(m·n² + n³)). Not lower: the O(m·n) method is
    /// faster there too (32×32: ~1.0–1.25× → ~1.35–1.85× NumPy) but its vector comes from the
    /// reduced matrix, so a top cluster as tight as the reduction's backward error is not resolved
    /// (measured: one clustered 24×24 at 2.05 ulp, where the explicit-AᵀA method gives 0.05).</summary>
    internal static int RealBidiagonalRefineFrom = 33;

    /// <summary>Runs the reduction for every matrix of <paramref name="b"/>.</summary>
    public static FpEvents Run(MatrixBatch b, SvdOrd ord)
    {
        if (b.T is DType.Float16 or DType.LongDouble or DType.CLongDouble)
            throw new NormException(NormError.BadDType,
                $"array type {(b.T switch { DType.Float16 => "float16", DType.LongDouble => "float128", _ => "complex256" })} is unsupported in linalg");
        if (b.Count == 0) return FpEvents.None;
        long m = b.M, n = b.N;
        if (m == 0 || n == 0)
        {
            if (ord == SvdOrd.Min)
                throw new NormException(NormError.EmptyReduction,
                    "zero-size array to reduction operation minimum which has no identity");
            int ev0 = 0;
            b.ForRange(0, b.Count, (_, _, op) => ev0 |= (int)ResultWriter.Store(b.OT, (byte*)op, 0, 0, 0));
            return (FpEvents)ev0;
        }
        bool complex = DTypes.IsComplex(b.T);
        long rows = Math.Max(m, n), cols = Math.Min(m, n);
        long er = complex ? 2 * rows : rows, ec = complex ? 2 * cols : cols;
        if (er * ec > int.MaxValue / 2 || er > 1 << 26)
            throw new NormException(NormError.InvalidArgument, "matrix too large for the singular value kernel");
        int evBits = 0, nanSeen = 0;
        double work = (double)er * ec * Math.Min(ec, 64) * 8;
        b.Run(work, (start, end) =>
        {
            int ev = 0;
            bool nan = false;
            if (!complex && m == 2 && n == 2)
                TwoByTwoRange(b, ord, start, end, ref ev, ref nan);
            else if (!complex && m == 3 && n == 3)
            {
                int sev = 0, snan = 0;
                Stack3.Range(b, ord, start, end, idx =>
                {
                    int e1 = 0; bool n1 = false;
                    GeneralRange(b, ord, false, 3, 3, idx, idx + 1, ref e1, ref n1);
                    sev |= e1; if (n1) snan = 1;
                }, ref ev);
                ev |= sev; nan |= snan != 0;
            }
            else
                GeneralRange(b, ord, complex, (int)er, (int)ec, start, end, ref ev, ref nan);
            Interlocked.Or(ref evBits, ev);
            if (nan) Volatile.Write(ref nanSeen, 1);
        });
        if (nanSeen != 0) throw new NormException(NormError.NoConvergence, "SVD did not converge");
        return (FpEvents)evBits;
    }


    /// <summary>Closed forms for a stack of real 2×2 matrices: no buffers, no per-matrix calls
    /// beyond the result store.</summary>
    /// <summary>σ_min is computed with the largest entry scaled to [2²⁰⁰, 2²⁰¹) instead of [1, 2): entries down to
    /// 2⁻¹²²² of the largest stay normal doubles and their squares down to 2⁻⁷³⁷ of it stay above underflow, where
    /// scaling to 1 made entries below 2⁻¹⁰²² of the largest subnormal (σ_min of diag(1e300, 1e-20) came out 1e-4 off)
    /// and lost those below 2⁻¹⁰⁷⁴. Products of two squared column norms stay below m²·2⁸⁰⁴, inside the Jacobi
    /// kernel's squared orthogonality test (&lt; 1e280), so matrices of ordinary range take the same operations on
    /// values scaled by an exact power of two: the same bits as with the scale of 1. Entries more than 2¹²²² below the
    /// largest become subnormal and those beyond 2¹²⁷⁴ vanish: diag(2¹⁰⁰⁰, 2⁻³⁰⁰, 1) gives 0 (NumPy: 2⁻³⁰⁰; 2×2 matrices, real and complex, take |det| from the unscaled entries and keep them). σ_max and the nuclear norm do not depend on entries that
    /// small and keep the scale of 1.</summary>
    private const int MinShift = 200;

    /// <summary>The scale of σ_min's largest entry, 2^WideShift, for a matrix with nonzero entries more than 2¹²²² below
    /// its largest (<see cref="SpansBeyondMinShift"/>), which <see cref="MinShift"/> would make subnormal or drop: as high
    /// as the Jacobi kernel's squared norms allow (a column of X = Rᵀ is at most ‖A‖_F ≤ √(er·ec)·2^(WideShift+1), its
    /// square below 2¹⁰⁰²), so entries down to 2⁻¹⁵⁰⁰ or so of the largest stay normal. The kernel's squared
    /// orthogonality test then takes its square-root form and tiny pairs are measured scaled (<see cref="SvdKernel"/>);
    /// diag(1e200, 1, 1e-200) gave 0 at MinShift (NumPy 1e-200).</summary>
    private static int WideShift(int er, int ec) => 500 - (BitOperations.Log2((ulong)er * (ulong)ec) + 2) / 2;

    /// <summary>Whether some nonzero of the <paramref name="total"/> doubles at <paramref name="pa"/> lies more than
    /// 2¹²²² below <paramref name="mx"/> (the largest): scaled by <see cref="MinShift"/> it would be subnormal.</summary>
    private static bool SpansBeyondMinShift(double* pa, long total, double mx)
    {
        double lim = Math.ScaleB(mx, -(1022 + MinShift));
        if (lim == 0) return false;
        for (long i = 0; i < total; i++)
        {
            double v = Math.Abs(pa[i]);
            if (v < lim && v != 0) return true;
        }
        return false;
    }

    private static void TwoByTwoRange(MatrixBatch b, SvdOrd ord, long start, long end, ref int evOut, ref bool nanOut)
    {
        int ev = 0;
        bool nan = false;
        DType t = b.T;
        long rs = b.Rs, cs = b.Cs;
        b.ForRange(start, end, (_, xpn, op) =>
        {
            byte* xp = (byte*)xpn;
            double a = RealReader.Read(t, xp), bb = RealReader.Read(t, xp + cs), c = RealReader.Read(t, xp + rs), d = RealReader.Read(t, xp + rs + cs);
            double a0 = a, b0 = bb, c0 = c, d0 = d;
            double mx = Math.Max(Math.Max(Math.Abs(a), Math.Abs(bb)), Math.Max(Math.Abs(c), Math.Abs(d)));
            double r;
            int k = 0;
            if (double.IsNaN(mx) || double.IsNaN(a + bb + c + d)) { nan = true; r = double.NaN; }
            else if (double.IsInfinity(mx)) r = double.NaN;
            else if (mx == 0) r = 0;
            else
            {
                int e = Math.ILogB(mx) - (ord == SvdOrd.Min ? MinShift : 0);
                k = e;
                if (e > -1000 && e < 1000)
                {
                    double f = BitConverter.Int64BitsToDouble((long)(1023 - e) << 52);
                    a *= f; bb *= f; c *= f; d *= f;
                }
                else { a = Math.ScaleB(a, -e); bb = Math.ScaleB(bb, -e); c = Math.ScaleB(c, -e); d = Math.ScaleB(d, -e); }
                if (ord == SvdOrd.Sum) r = SvdKernel.TwoByTwoNuclear(a, bb, c, d);
                else
                {
                    double smax = SvdKernel.TwoByTwoMax(a, bb, c, d);
                    r = smax;
                    if (ord == SvdOrd.Min)
                    {
                        // |ad − bc| / σ_max from the unscaled entries (SvdKernel.Det2): entries 2¹⁰⁷⁴ below
                        // the largest vanish from the scaled ones
                        double det = Math.Abs(SvdKernel.Det2(a0, b0, c0, d0, out int ed));
                        if (det == 0 || smax == 0) { r = 0; k = 0; }
                        else
                        {
                            int j = Math.ILogB(det);
                            r = Math.ScaleB(det, -j) / smax;
                            k = ed + j - e;
                        }
                    }
                }
            }
            ev |= (int)ResultWriter.Store(b.OT, (byte*)op, r, 0, k);
        });
        evOut |= ev;
        nanOut |= nan;
    }

    private static void GeneralRange(MatrixBatch b, SvdOrd ord, bool complex, int er, int ec, long start, long end, ref int evOut, ref bool nanOut)
    {
        int ev = 0;
        bool nan = false;
        long m = b.M, n = b.N;
        bool transpose = m < n;
        int rows = (int)Math.Max(m, n), cols = (int)Math.Min(m, n);
        // element strides of the oriented matrix (rows ≥ cols)
        long ors = transpose ? b.Cs : b.Rs, ocs = transpose ? b.Rs : b.Cs;
        // tall real matrices take it below the threshold too: their QR (Bidiagonalize.QrFirst) is then
        // most of the work, cheaper than the Jacobi kernel's pivoted QR and row passes
        bool bidiag = ord != SvdOrd.Min && (ec >= BidiagonalThreshold || (!complex && ec >= 2 && Bidiagonalize.QrFirst(er, ec)));
        // σ_min first tries the certified bidiagonal route (SigmaMinRefine), Jacobi if it fails
        // (not for 2×2: closed forms)
        bool fastMin = ord == SvdOrd.Min && cols >= Math.Max(3, SigmaMinRefine.FastFromFor(complex));
        // the real bidiagonal route takes a leading dimension padded to its 8-row lane blocks
        // (rows er..ld−1 stay zero through the reduction, so the buffer is reused as is)
        int ld = bidiag || fastMin ? Bidiagonalize.LeadingDimension(er) : er;
        long aLen = (long)ld * ec;
        long wLen = Math.Max(Math.Max(SvdKernel.WorkSize(er, ec), BidiagonalMax.WorkSize(er, ec)), Math.Max(ComplexBidiagonal.WorkSize(rows, cols), 2L * cols + Dqds.WorkSize(cols)));
        // complex matrices on the bidiagonal route are reduced in complex arithmetic (interleaved
        // storage) instead of through the real embedding: half the flops
        // complex 2×2 σ_min: |det| / σ_max with an accurate determinant, also from this layout
        bool det2 = complex && ord == SvdOrd.Min && rows == 2 && cols == 2;
        bool interleaved = complex && (ord != SvdOrd.Min || det2 || fastMin) && cols >= ComplexBidiagonalFrom;
        bidiag |= interleaved;

        // σ_max of a complex matrix is refined to ~½ ulp (SigmaMaxRefine) from a copy of the
        // scaled matrix, which the bidiagonalisation destroys
        bool refine = interleaved && (ord == SvdOrd.Max || det2) && cols <= SigmaMaxRefine.MaxColumns;
        // real σ_max (Jacobi or bidiagonal route) likewise, from a copy of the scaled matrix
        bool refineReal = !complex && ord == SvdOrd.Max && cols >= 2 && (cols <= SigmaMaxRefine.MaxColumns || bidiag);
        // on the bidiagonal route from RealBidiagonalRefineFrom columns on: the O(m·n) refinement
        // from the bidiagonal's top singular vector (SigmaMaxBidiagonal) instead of explicit AᵀA
        bool refineBd = refineReal && bidiag && cols >= RealBidiagonalRefineFrom;
        // complex σ_max beyond that: the O(m·n) refinement from the bidiagonal's top vector
        bool refineCBd = interleaved && ord == SvdOrd.Max && cols > SigmaMaxRefine.MaxColumns;
        // the refinements' buffers: a dense copy of the scaled matrix (its first `dense` doubles, written
        // before use), then scratch
        long dense = refine || refineCBd ? 2L * rows * cols : refineBd ? 0 : refineReal ? (long)rows * cols
            : fastMin ? (complex ? 2L : 1L) * rows * cols : 0;
        long refLen = dense + (refine ? SigmaMaxRefine.WorkSize(rows, cols)
            : refineCBd ? SigmaMaxBidiagonal.ComplexKeepSize(cols) + 3L * cols + 4L * rows + SigmaMaxBidiagonal.WorkSize(cols)
            : refineBd ? Bidiagonalize.RightReflectorsSize(cols) + cols + 2L * rows + SigmaMaxBidiagonal.WorkSize(cols)
            : refineReal ? SigmaMaxRefine.WorkSize(rows, cols)
            : fastMin ? RightSize(cols, complex) + SigmaMinRefine.WorkSize(rows, cols, complex) : 0);
        // one pooled block for the matrix copy, the singular values, the kernels' scratch, a gathered line and
        // the refinement: fresh arrays of a tall matrix's size cost more than its QR (zeroing, page faults, GCs)
        long total = aLen + ec + wLen + 2L * rows + refLen;
        if (total > Array.MaxLength)
            throw new NormException(NormError.InvalidArgument, "matrix too large for the singular value kernel");
        double[] block = ArrayPool<double>.Shared.Rent((int)total);
        DType t = b.T;
        // σ_min alone runs the Jacobi kernel on the real (or embedded) matrix: scaled up, see MinShift
        // (the certified route keeps the scale of 1: the bidiagonal kernels' contract)
        int shift = ord == SvdOrd.Min && !det2 && !fastMin ? MinShift : 0;
        // one matrix: its reduction may use the threads (a stack is split over matrices instead)
        int inner = b.Count == 1 ? Parallelism.MaxThreads : 1;
        // (not returned if a kernel throws: the pool then simply allocates another)
        fixed (double* blk = block)
        {
            double* pa = blk, ps = pa + aLen, pw = ps + ec, pc = pw + wLen, prf = refLen == 0 ? null : pc + 2L * rows;
            // the kernels' scratch and the refinements' past the dense copy start zeroed, as fresh arrays did
            new Span<double>(pw, (int)wLen).Clear();
            if (refLen > dense) new Span<double>(prf + dense, (int)(refLen - dense)).Clear();
            b.ForRange(start, end, (_, xpn, op) =>
            {
                byte* xp = (byte*)xpn;
                // widen, column by column, into the column-major (embedded) matrix
                double mx = GatherInto(t, xp, ors, ocs, rows, cols, interleaved ? 1 : complex ? 2 : 0, pa, ld, pc, out bool hasNaN);
                double r, lo = 0;
                int k = 0;
                if (hasNaN) { nan = true; r = double.NaN; }
                else if (double.IsInfinity(mx)) r = double.NaN;
                else if (mx == 0) r = 0;
                else if (cols > 1 && (!complex || mx < DiagonalMax) && Diagonal(pa, rows, cols, interleaved ? 1 : complex ? 2 : 0, ld, pc))
                    r = DiagonalNorm(pc, cols, ord, out k, out lo);
                else if (ord == SvdOrd.Min && cols > 1 && ExactlySingular(pa, rows, cols, interleaved ? 1 : complex ? 2 : 0, ld, mx, pw))
                    r = 0;
                else
                {
                    long total = interleaved ? 2L * rows * cols : (long)ld * ec;
                    // σ_min of a matrix whose entries span more than MinShift's scaling keeps: the Jacobi kernel at
                    // WideShift (the certified route's scale of 1 would lose them too)
                    bool wide = ord == SvdOrd.Min && !det2 && cols > 1 && SpansBeyondMinShift(pa, total, mx);
                    int e = Math.ILogB(mx) - (wide ? WideShift(er, ec) : shift);
                    k = e;
                    // the determinant from the unscaled entries (ComplexDet2: none vanishes), as |det|·2^-detE
                    int detE = 0;
                    double det = det2 ? ComplexDet2(pa, out detE) : 0;
                    if (wide && interleaved)
                    {
                        // the Jacobi kernel takes the real embedding
                        GatherInto(t, xp, ors, ocs, rows, cols, 2, pa, er, pc, out bool nanWide);
                        total = (long)er * ec;
                    }
                    ScaleBy(pa, total, e);
                    if (cols == 1)
                    {
                        // one singular value: the vector 2-norm (of the complex column when complex)
                        r = SvdKernel.Norm(pa, complex ? 2 * rows : rows);
                    }
                    else if (wide)
                    {
                        if (fastMin && !complex && ld != er)
                            for (int j = 1; j < ec; j++) Buffer.MemoryCopy(pa + (long)j * ld, pa + (long)j * er, 8L * er, 8L * er);
                        SvdKernel.SingularValues(pa, er, ec, ps, pw);
                        r = Reduce(ps, ec, ord, complex, out lo);
                    }
                    else if (fastMin)
                    {
                        bool single = b.OT == DType.Float32;
                        bool done = false;
                        r = 0;
                        // numerically low-rank matrices go straight to the split: no certificate can exist for them
                        int probe = ProbeColumns(cols, complex ? 2 * rows : rows, wLen);
                        if (cols >= ProbeFrom && LowRankProbe(pa, rows, cols, complex, ld, pw, probe, single))
                        {
                            done = SplitRoute(t, xp, ors, ocs, rows, cols, complex, er, ec, pa, ps, pw, pc, prf, aLen, wLen,
                                single, inner, probe, out k, out r, out lo);
                            if (done) SigmaMinRefine.CountProbed();
                            else
                            {
                                // not split within the probe's rank: the certified route after all, on a fresh copy
                                mx = GatherInto(t, xp, ors, ocs, rows, cols, interleaved ? 1 : 0, pa, ld, pc, out bool nanP);
                                k = Math.ILogB(mx);
                                ScaleBy(pa, interleaved ? 2L * rows * cols : (long)ld * ec, k);
                            }
                        }
                        if (!done)
                        {
                            // scaled copy for the certificate, then the reduction keeping what maps B's vectors back
                            long dense = (complex ? 2L : 1L) * rows * cols;
                            double* right = prf + dense, fw = right + RightSize(cols, complex);
                            if (complex)
                            {
                                Buffer.MemoryCopy(pa, prf, 8 * dense, 8 * dense);
                                ComplexBidiagonal.Reduce(pa, rows, cols, pw, right, inner);
                            }
                            else
                            {
                                for (int j = 0; j < cols; j++)
                                    Buffer.MemoryCopy(pa + (long)j * ld, prf + (long)j * rows, 8L * rows, 8L * rows);
                                Bidiagonalize.Reduce(pa, er, ec, pw, right, inner);
                            }
                            if (!SigmaMinRefine.Run(prf, rows, cols, complex, pw, pw + cols, right, fw, single, k, out r, out lo))
                            {
                                // no certificate: split off the numerically negligible part, else the Jacobi kernel on
                                // the (embedded) matrix scaled up by MinShift, as without this route
                                SigmaMinRefine.CountFallback();
                                if (!SplitRoute(t, xp, ors, ocs, rows, cols, complex, er, ec, pa, ps, pw, pc, prf, aLen, wLen,
                                        single, inner, int.MaxValue, out k, out r, out lo))
                                {
                                    mx = GatherInto(t, xp, ors, ocs, rows, cols, complex ? 2 : 0, pa, er, pc, out bool nanAgain);
                                    k = Math.ILogB(mx) - MinShift;
                                    ScaleBy(pa, (long)er * ec, k);
                                    SvdKernel.SingularValues(pa, er, ec, ps, pw);
                                    r = Reduce(ps, ec, ord, complex, out lo);
                                }
                            }
                        }
                    }
                    else if (det2)
                    {
                        Buffer.MemoryCopy(pa, prf, 8 * 8, 8 * 8);
                        ComplexBidiagonal.Reduce(pa, rows, cols, pw);
                        double smax = BidiagonalMax.LargestOf(pw, pw + cols, cols, pw + 2 * cols);
                        smax = SigmaMaxRefine.Complex(prf, 2, 2, smax, prf + 8, out double slo);
                        if (smax == 0 || det == 0) { r = 0; k = 0; }
                        else
                        {
                            // σ_min = |det|·2^detE / (smax·2^e), the quotient formed on |det| in [1, 2)
                            int j = Math.ILogB(det);
                            r = DD.Div(Math.ScaleB(det, -j), 0, smax, slo, out lo);
                            k = detE + j - e;
                        }
                    }
                    else if (refineCBd)
                    {
                        long bytes = 16L * rows * cols;
                        Buffer.MemoryCopy(pa, prf, bytes, bytes);
                        double* keep = prf + 2L * rows * cols, x = keep + SigmaMaxBidiagonal.ComplexKeepSize(cols),
                            y = x + 2 * cols, acc = y + cols, rw = acc + 4 * rows;
                        ComplexBidiagonal.Reduce(pa, rows, cols, pw, keep, inner);
                        r = BidiagonalMax.LargestOf(pw, pw + cols, cols, pw + 2 * cols);
                        if (SigmaMaxBidiagonal.BidiagonalVector(pw, pw + cols, cols, r, rw, y)
                            && SigmaMaxBidiagonal.MapBackComplex(keep, cols, y, x))
                        {
                            double rv = SigmaMaxRefine.RayleighValue(prf, rows, cols, x, acc, out double rl);
                            r = SigmaMaxBidiagonal.Accept(rv, rl, r, out lo);
                        }
                    }
                    else if (interleaved)
                    {
                        bool refineThis = refine && ord == SvdOrd.Max;
                        long bytes = 16L * rows * cols;
                        if (refineThis) Buffer.MemoryCopy(pa, prf, bytes, bytes);
                        ComplexBidiagonal.Reduce(pa, rows, cols, pw, null, inner);
                        r = ord == SvdOrd.Max
                            ? BidiagonalMax.LargestOf(pw, pw + cols, cols, pw + 2 * cols)
                            : BidiagonalMax.SumOfSingularValues(pw, pw + cols, cols, pw + 2 * cols, out lo);
                        if (refineThis) r = SigmaMaxRefine.Complex(prf, rows, cols, r, prf + 2L * rows * cols, out lo);
                    }
                    else if (refineReal)
                    {
                        // the refinement reads a dense rows×cols copy; pa's columns are ld apart
                        if (!refineBd)
                            for (int j = 0; j < cols; j++)
                                Buffer.MemoryCopy(pa + (long)j * ld, prf + (long)j * rows, 8L * rows, 8L * rows);
                        if (refineBd)
                        {
                            // x from the bidiagonal (right reflectors kept), then ‖Ax‖/‖x‖ with
                            // A's columns gathered and scaled again (the same values as pa had)
                            double* rtau = prf, x = rtau + Bidiagonalize.RightReflectorsSize(cols), acc = x + cols, rw = acc + 2 * rows;
                            Bidiagonalize.Reduce(pa, er, ec, pw, rtau, inner);
                            r = BidiagonalMax.LargestOf(pw, pw + ec, ec, pw + 2 * ec);
                            if (SigmaMaxBidiagonal.TopVector(rtau, pw, pw + ec, ec, r, rw, x))
                            {
                                double f = e > -1000 && e < 1000 ? BitConverter.Int64BitsToDouble((long)(1023 - e) << 52) : 0;
                                double rv, rl;
                                if (Math.Abs(ocs) < Math.Abs(ors))
                                {
                                    // rows are the closer direction (C order): (Ax)ᵢ row by row
                                    double sh = 0, sl = 0;
                                    for (int i = 0; i < rows; i++)
                                    {
                                        Gather.Run(t, xp + i * ors, ocs, cols, pc);
                                        if (f != 0) for (int j = 0; j < cols; j++) pc[j] *= f;
                                        else for (int j = 0; j < cols; j++) pc[j] = Math.ScaleB(pc[j], -e);
                                        SigmaMaxRefine.AddRowSquare(pc, x, cols, ref sh, ref sl);
                                    }
                                    rv = SigmaMaxRefine.FinishRows(sh, sl, cols, x, out rl);
                                }
                                else
                                {
                                    new Span<double>(acc, 2 * rows).Clear();
                                    for (int j = 0; j < cols; j++)
                                    {
                                        Gather.Run(t, xp + j * ocs, ors, rows, pc);
                                        if (f != 0) for (int i = 0; i < rows; i++) pc[i] *= f;
                                        else for (int i = 0; i < rows; i++) pc[i] = Math.ScaleB(pc[i], -e);
                                        SigmaMaxRefine.AccumulateReal(pc, rows, x[j], acc);
                                    }
                                    rv = SigmaMaxRefine.FinishReal(rows, cols, x, acc, out rl);
                                }
                                r = SigmaMaxBidiagonal.Accept(rv, rl, r, out lo);
                            }
                        }
                        else if (bidiag) r = LargestBidiagonal(pa, er, ec, pw, inner);
                        else
                        {
                            SvdKernel.SingularValues(pa, er, ec, ps, pw, graded: false);
                            r = Reduce(ps, ec, ord, false, out lo);
                        }
                        if (!refineBd) r = SigmaMaxRefine.Real(prf, rows, cols, r, prf + (long)rows * cols, out lo);
                    }
                    else if (bidiag && ord == SvdOrd.Max) r = LargestBidiagonal(pa, er, ec, pw, inner);
                    else if (bidiag)
                    {
                        Bidiagonalize.Reduce(pa, er, ec, pw, null, inner);
                        r = BidiagonalMax.SumOfSingularValues(pw, pw + ec, ec, pw + 2 * ec, out lo);
                        if (complex) { r *= 0.5; lo *= 0.5; }
                    }
                    else
                    {
                        SvdKernel.SingularValues(pa, er, ec, ps, pw, graded: ord == SvdOrd.Min);
                        r = Reduce(ps, ec, ord, complex, out lo);
                    }
                }
                ev |= (int)ResultWriter.Store(b.OT, (byte*)op, r, lo, k);
            });
        }
        ArrayPool<double>.Shared.Return(block);
        evOut |= ev;
        nanOut |= nan;
    }

    /// <summary>σ_min of a real matrix split by <see cref="SvdKernel.SplitForMin"/> (σ_min(A) = σ_min(L₂₂) to a relative
    /// <paramref name="w"/>, the split's bound: 2⁻⁶³ at most, 2⁻³⁰ for a float32 result; levels add theirs; <paramref name="a"/> holds the blocks, leading dimension m, at the Jacobi kernel's scale, 2^-<paramref name="k"/>).
    /// The first L₂₂ is scaled to a largest entry in [1, 2) and tried on the certified bidiagonal route (w added to the
    /// certificate's interval for a float64 result): for a rank-k matrix L₂₂ is the rounding noise of the elimination, a matrix
    /// like any other. Otherwise L₂₂ is rescaled to the Jacobi kernel's scale (2^<see cref="MinShift"/>: each level is
    /// 2⁴⁰ or more below the last, and a graded 6×6 over 10^±110 sank below the 2×2 closed form's range) and goes to
    /// <see cref="SvdKernel.SplitForMin"/> itself, until a QR runs to its end (the Jacobi kernel then finishes that
    /// block) or a split is rejected (the Jacobi kernel on the whole block). Each level removes a column, so at most n
    /// levels, O(m·n) each when they split early. Exactly singular matrices whose elimination leaves the same noise
    /// level after level are mostly caught before (<see cref="ExactlySingular"/>).
    /// <paramref name="aLen"/>: the doubles at <paramref name="a"/>. On success
    /// <paramref name="k"/> is the result's scale.</summary>
    private static bool SplitMin(double* a, int m, int n, int split, double w, ref int k, out double r, out double lo, bool single,
        long aLen, double* pw, long wLen, double* prf, int inner)
    {
        bool tried = false;
        while (true)
        {
            int r2 = m - split, c2 = n - split;
            double* l22 = a + split + (long)split * m;
            double lm = 0;
            for (int j = 0; j < c2; j++)
                for (int i = 0; i < r2; i++) lm = Math.Max(lm, Math.Abs(l22[i + (long)j * m]));
            lo = 0;
            if (lm == 0) { r = 0; return true; }
            if (c2 == 1) { r = SvdKernel.Norm(l22, r2); return true; }
            int e = Math.ILogB(lm);
            if (!tried && c2 >= Math.Max(3, SigmaMinRefine.FastFromFor(false))
                && Bidiagonalize.WorkSize(r2, c2) <= wLen && (long)Bidiagonalize.LeadingDimension(r2) * c2 <= aLen)
            {
                // the dense copy of L₂₂ scaled to [1, 2) for the certificate, and a padded one for the reduction
                tried = true;
                int ld2 = Bidiagonalize.LeadingDimension(r2);
                CopyScaled(l22, m, prf, r2, r2, c2, e);
                long dense = (long)r2 * c2;
                for (int j = 0; j < c2; j++)
                {
                    Buffer.MemoryCopy(prf + (long)j * r2, a + (long)j * ld2, 8L * r2, 8L * r2);
                    for (int i = r2; i < ld2; i++) a[i + (long)j * ld2] = 0;
                }
                double* right = prf + dense, fw = right + RightSize(c2, false);
                Bidiagonalize.Reduce(a, r2, c2, pw, right, inner);
                // certified: σ_min of the computed L₂₂, whose own error is the elimination's (row-wise, as the Jacobi
                // kernel's R), so no claim of correct rounding for a float32 result (single: false), and its bound w
                // (up to 2⁻³⁰ there) below that error
                if (SigmaMinRefine.Run(prf, r2, c2, false, pw, pw + c2, right, fw, false, k + e, out r, out lo, single ? 0 : w))
                {
                    k += e;
                    return true;
                }
                // at the Jacobi kernel's scale: largest entry in [2²⁰⁰, 2²⁰¹)
                CopyScaled(prf, r2, a, r2, r2, c2, -MinShift);
            }
            else
            {
                // L₂₂ densely (leading dimension r2 < m, copied column by column in index order: every entry moves to
                // a lower address, already read or outside L₂₂), rescaled to the Jacobi kernel's scale: a level's
                // entries are 2⁴⁰ or more below the last's
                CopyScaled(l22, m, a, r2, r2, c2, e - MinShift);
            }
            k += e - MinShift;
            // kept for a rejected split
            Buffer.MemoryCopy(a, prf, 8L * r2 * c2, 8L * r2 * c2);
            double* s = pw + SvdKernel.WorkSize(r2, c2);
            int next = SvdKernel.SplitForMin(a, r2, c2, s, pw, single, out double w2);
            if (next > 0) { m = r2; n = c2; split = next; w += w2; continue; }
            if (next < 0)
            {
                Buffer.MemoryCopy(prf, a, 8L * r2 * c2, 8L * r2 * c2);
                SvdKernel.SingularValues(a, r2, c2, s, pw);
            }
            r = Reduce(s, c2, SvdOrd.Min, false, out lo);
            return true;
        }
    }

    /// <summary>σ_min probes for low rank from this many columns on (below, the probe's passes cost too large a part of
    /// the certified route they would save: +8 % at 24 columns).</summary>
    internal const int ProbeFrom = 32;

    /// <summary>Probe vectors (real or complex) for a matrix of <paramref name="cols"/> columns: n/8, from 8 to 32 (rank
    /// below that is found), as many as <paramref name="workLen"/> doubles hold for columns of <paramref name="len"/>
    /// doubles; 0 when not even 8 fit. The Gram–Schmidt pass costs about p²·m against the bidiagonalisation's n²·m, so
    /// n/8 keeps it near 1/64 of that; with 8 at most, complex rank-10 200×200 matrices ran the certified route's
    /// reduction of A before the split (0.75–0.8× NumPy, against 1.1× at rank 5).</summary>
    internal static int ProbeColumns(int cols, int len, long workLen)
    {
        int p = Math.Clamp(cols / 8, 8, 32);
        while (p >= 8 && (long)p * len + p > workLen) p -= 8;
        return p >= 8 ? p : 0;
    }

    /// <summary>Whether the scaled, gathered matrix (real: leading dimension <paramref name="ld"/>; complex: interleaved)
    /// looks numerically rank-deficient: Y = A·Ω for p probe columns (<see cref="ProbeColumns"/>; a hash of the column index places each column
    /// of A in two of them with a sign, so the decision depends on the matrix only), then modified Gram–Schmidt with pivoting on Y's columns (in
    /// complex arithmetic for a complex matrix); a residual below 2⁻³⁰ (float32 results: 2⁻¹⁴) of the first pivot
    /// before p steps means rank &lt; p. A heuristic that only picks the route: a wrong guess costs p steps of the
    /// split's QR, then the certified route as before (the split is proven where it is accepted). The certified
    /// route's bidiagonalisation of a low-rank matrix was half the time of σ_min of rank-2 200×200 after the split
    /// (real 2.8 ms, complex 9 ms; NumPy 3.1 and 6.7). The probe costs 1–4 % of a random matrix's σ_min from 32
    /// columns on (A/B, side by side). <paramref name="work"/>: p·2m + p doubles.</summary>
    private static bool LowRankProbe(double* a, int rows, int cols, bool complex, int ld, double* work, int p, bool single)
    {
        if (p < 8) return false;
        int len = complex ? 2 * rows : rows;
        long cs = complex ? 2L * rows : ld;
        double* y = work, nrm = y + (long)p * len;
        new Span<double>(y, p * len).Clear();
        // a sparse sign sketch: column j goes into two of the p probe columns with signs (Y = A·Ω, Ω with two ±1 per
        // row), a quarter of a dense Ω's cost; Y's columns lie in A's column space whatever Ω is, so a rank below p is
        // never missed, and a full-rank A gives a full-rank Y unless Ω is unlucky (then only time is lost)
        for (int j = 0; j < cols; j++)
        {
            ulong h = (ulong)(j + 1) * 0x9E3779B97F4A7C15UL;
            h ^= h >> 29; h *= 0xBF58476D1CE4E5B9UL; h ^= h >> 32;
            int c1 = (int)(h % (ulong)p), c2 = (c1 + 1 + (int)((h >> 8) % (ulong)(p - 1))) % p;
            double* aj = a + j * cs;
            Blas1.Axpy((h & 0x10000) == 0 ? 1.0 : -1.0, aj, y + (long)c1 * len, len);
            Blas1.Axpy((h & 0x20000) == 0 ? 1.0 : -1.0, aj, y + (long)c2 * len, len);
        }
        double tau = single ? 6.103515625e-05 : 9.313225746154785e-10; // 2⁻¹⁴, 2⁻³⁰
        double first = 0;
        for (int k = 0; k < p; k++)
        {
            int piv = -1;
            double best = -1;
            for (int c = k; c < p; c++)
            {
                nrm[c] = SvdKernel.ColumnNorm(y + (long)c * len, len);
                if (nrm[c] > best) { best = nrm[c]; piv = c; }
            }
            if (k == 0) first = best;
            if (!(first > 0)) return false;
            if (k > 0 && best <= tau * first) return true;
            if (piv != k)
            {
                double* u = y + (long)k * len, v = y + (long)piv * len;
                for (int i = 0; i < len; i++) (u[i], v[i]) = (v[i], u[i]);
            }
            double* q = y + (long)k * len;
            double inv = 1 / best;
            for (int i = 0; i < len; i++) q[i] *= inv;
            for (int c = k + 1; c < p; c++)
            {
                double* yc = y + (long)c * len;
                if (!complex)
                {
                    Blas1.Axpy(-Blas1.Dot(q, yc, len), q, yc, len);
                    continue;
                }
                // yc −= q·(qᴴyc), interleaved
                double sr = 0, si = 0;
                for (int i = 0; i < len; i += 2)
                {
                    sr += q[i] * yc[i] + q[i + 1] * yc[i + 1];
                    si += q[i] * yc[i + 1] - q[i + 1] * yc[i];
                }
                for (int i = 0; i < len; i += 2)
                {
                    yc[i] -= q[i] * sr - q[i + 1] * si;
                    yc[i + 1] -= q[i] * si + q[i + 1] * sr;
                }
            }
        }
        return false;
    }

    /// <summary>σ_min by the split (<see cref="SvdKernel.SplitForMin"/>, <see cref="ComplexSplit"/>) of the matrix
    /// gathered afresh at the Jacobi kernel's scale; false when no split was accepted within <paramref name="maxK"/> steps
    /// (<paramref name="pa"/> destroyed: the caller gathers again).</summary>
    private static bool SplitRoute(DType t, byte* xp, long ors, long ocs, int rows, int cols, bool complex, int er, int ec,
        double* pa, double* ps, double* pw, double* pc, double* prf, long aLen, long wLen, bool single, int inner, int maxK,
        out int k, out double r, out double lo)
    {
        r = lo = 0;
        double mx;
        if (complex)
        {
            // in complex arithmetic, on the interleaved matrix
            mx = GatherInto(t, xp, ors, ocs, rows, cols, 1, pa, rows, pc, out _);
            k = Math.ILogB(mx) - MinShift;
            ScaleBy(pa, 2L * rows * cols, k);
            int cs = ComplexSplit.Run(pa, rows, cols, pw, single, out double cw, maxK);
            if (cs > 0 && ComplexSplitMin(pa, rows, cols, cs, cw, ref k, out r, out lo, single, pw, prf, inner))
            {
                SigmaMinRefine.CountSplit();
                return true;
            }
            return false;
        }
        mx = GatherInto(t, xp, ors, ocs, rows, cols, 0, pa, er, pc, out _);
        k = Math.ILogB(mx) - MinShift;
        ScaleBy(pa, (long)er * ec, k);
        int split = SvdKernel.SplitForMin(pa, er, ec, ps, pw, single, out double sw, maxK);
        if (split > 0 && SplitMin(pa, er, ec, split, sw, ref k, out r, out lo, single, aLen, pw, wLen, prf, inner))
        {
            SigmaMinRefine.CountSplit();
            return true;
        }
        if (split == 0)
        {
            // the QR ran to its end without a split: the Jacobi kernel finished it (SingularValues' bits)
            r = Reduce(ps, ec, SvdOrd.Min, false, out lo);
            return true;
        }
        return false;
    }

    /// <summary><see cref="SplitMin"/> for a complex matrix split by <see cref="ComplexSplit"/> (interleaved, leading
    /// dimension m, at the Jacobi kernel's scale 2^-<paramref name="k"/>): L₂₂ scaled to [1, 2) on the certified complex
    /// route, or, without a certificate, the Jacobi kernel on L₂₂'s real embedding at <see cref="MinShift"/>'s scale
    /// (one level: exactly singular complex inputs are mostly caught before, <see cref="ExactlySingular"/>). False when
    /// L₂₂ has a single column or more columns than the route takes: the caller starts over.</summary>
    private static bool ComplexSplitMin(double* a, int m, int n, int split, double w, ref int k, out double r, out double lo,
        bool single, double* pw, double* prf, int inner)
    {
        int r2 = m - split, c2 = n - split;
        double* l22 = a + 2 * (split + (long)split * m);
        double lm = 0;
        for (int j = 0; j < c2; j++)
            for (int i = 0; i < 2 * r2; i++) lm = Math.Max(lm, Math.Abs(l22[i + 2L * j * m]));
        r = lo = 0;
        if (lm == 0) return true;
        int e = Math.ILogB(lm);
        long dense = 2L * r2 * c2;
        CopyScaled(l22, 2L * m, prf, 2L * r2, 2 * r2, c2, e);
        if (c2 == 1)
        {
            r = SvdKernel.Norm(prf, 2 * r2);
            k += e;
            return true;
        }
        if (c2 >= Math.Max(3, SigmaMinRefine.FastFromFor(true)))
        {
            Buffer.MemoryCopy(prf, a, 8 * dense, 8 * dense);
            double* right = prf + dense, fw = right + RightSize(c2, true);
            ComplexBidiagonal.Reduce(a, r2, c2, pw, right, inner);
            if (SigmaMinRefine.Run(prf, r2, c2, true, pw, pw + c2, right, fw, false, k + e, out r, out lo, single ? 0 : w))
            {
                k += e;
                return true;
            }
        }
        // the real embedding [[Re, −Im], [Im, Re]] of L₂₂ (2r2 × 2c2) at the Jacobi kernel's scale
        int er2 = 2 * r2, ec2 = 2 * c2;
        for (int j = 0; j < c2; j++)
            for (int i = 0; i < r2; i++)
            {
                double re = Math.ScaleB(prf[2 * (i + (long)j * r2)], MinShift), im = Math.ScaleB(prf[2 * (i + (long)j * r2) + 1], MinShift);
                a[i + (long)j * er2] = re;
                a[r2 + i + (long)j * er2] = im;
                a[i + (long)(c2 + j) * er2] = -im;
                a[r2 + i + (long)(c2 + j) * er2] = re;
            }
        double* s = pw + SvdKernel.WorkSize(er2, ec2);
        SvdKernel.SingularValues(a, er2, ec2, s, pw);
        r = Reduce(s, ec2, SvdOrd.Min, true, out lo);
        k += e - MinShift;
        return true;
    }

    /// <summary>Doubles kept by the reduction to map the bidiagonal's vectors back: the right
    /// reflectors (real) or the phases and reflectors (complex).</summary>
    private static long RightSize(int cols, bool complex)
        => complex ? SigmaMaxBidiagonal.ComplexKeepSize(cols) : Bidiagonalize.RightReflectorsSize(cols);

    /// <summary>Widens the oriented rows×cols matrix at <paramref name="xp"/> column by column into
    /// <paramref name="pa"/>: <paramref name="layout"/> 0 real (leading dimension
    /// <paramref name="ld"/>, rows rows..ld−1 zeroed), 1 interleaved complex (2·rows doubles per column), 2 the real
    /// embedding [[Re, −Im], [Im, Re]] of a complex matrix (leading dimension <paramref name="ld"/>).
    /// Returns the largest |part|; <paramref name="pc"/>: 2·rows doubles of scratch.</summary>
    private static double GatherInto(DType t, byte* xp, long ors, long ocs, int rows, int cols, int layout,
        double* pa, int ld, double* pc, out bool hasNaN)
    {
        double mx = 0;
        hasNaN = false;
        if (layout == 2)
        {
            for (int j = 0; j < cols; j++)
            {
                Gather.Run(t, xp + j * ocs, ors, rows, pc);
                double* c1 = pa + (long)j * ld, c2 = pa + (long)(cols + j) * ld;
                for (int i = 0; i < rows; i++)
                {
                    double re = pc[2 * i], im = pc[2 * i + 1];
                    c1[i] = re; c1[rows + i] = im;
                    c2[i] = -im; c2[rows + i] = re;
                    mx = Math.Max(mx, Math.Max(Math.Abs(re), Math.Abs(im)));
                    hasNaN |= double.IsNaN(re) || double.IsNaN(im);
                }
            }
            return mx;
        }
        // w doubles per element; column j starts at pa + j·cstride
        int w = layout == 1 ? 2 : 1;
        long cstride = layout == 1 ? 2L * rows : ld;
        // rows the closer direction (C order): read in address order and scattered into the columns — one
        // pass over the input, where reading a column at a time touches a new cache line per element
        bool byRows = Math.Abs(ocs) < Math.Abs(ors);
        if (byRows && t == DType.Float64 && layout == 0 && ocs == 8 && Avx.IsSupported)
            TransposeRows(xp, ors, rows, cols, pa, ld);
        else if (byRows && (t == DType.Float64 || (t == DType.Complex128 && layout == 1)))
        {
            // float64 / complex128 parts read in place (no per-row call), eight rows per block so that
            // each column receives a whole cache line of them at a time
            for (int i0 = 0; i0 < rows; i0 += 8)
            {
                int i1 = Math.Min(rows, i0 + 8);
                for (int j = 0; j < cols; j++)
                {
                    double* d = pa + j * cstride;
                    byte* src = xp + j * ocs;
                    for (int i = i0; i < i1; i++)
                        for (int c = 0; c < w; c++)
                            d[w * i + c] = Unsafe.ReadUnaligned<double>(src + i * ors + 8 * c);
                }
            }
        }
        else if (byRows)
            for (int i = 0; i < rows; i++)
            {
                Gather.Run(t, xp + i * ors, ocs, cols, pc);
                double* dst = pa + (long)w * i;
                if (w == 1) for (int j = 0; j < cols; j++) dst[j * cstride] = pc[j];
                else for (int j = 0; j < cols; j++) { dst[j * cstride] = pc[2 * j]; dst[j * cstride + 1] = pc[2 * j + 1]; }
            }
        else
            for (int j = 0; j < cols; j++) Gather.Run(t, xp + j * ocs, ors, rows, pa + j * cstride);
        // largest |part| (NaN if any is NaN) over the gathered columns, vectorised: a running Math.Max per
        // element is a serial chain several times slower than the copy
        for (int j = 0; j < cols; j++)
        {
            double* c = pa + j * cstride;
            double cm = SumSquares.MaxAbs(new ReadOnlySpan<double>(c, w * rows));
            if (double.IsNaN(cm)) hasNaN = true;
            else mx = Math.Max(mx, cm);
            if (layout == 0) for (int i = rows; i < ld; i++) c[i] = 0;   // the bidiagonal kernels' padding rows
        }
        return mx;
    }

    /// <summary>Copies rows×cols float64 whose rows are contiguous (<paramref name="ors"/> bytes apart) into the
    /// columns of <paramref name="pa"/> (leading dimension <paramref name="ld"/>): 4×4 blocks transposed in
    /// registers (<see cref="Transpose4.Doubles"/>), the edges element by element. Copies only: the
    /// doubles of the scalar gather. (The element-by-element scatter was ~12 % of a 2000×20 2-norm.)</summary>
    private static void TransposeRows(byte* xp, long ors, int rows, int cols, double* pa, int ld)
    {
        int i = 0;
        for (; i + 4 <= rows; i += 4)
        {
            double* r0 = (double*)(xp + i * ors), r1 = (double*)(xp + (i + 1) * ors);
            double* r2 = (double*)(xp + (i + 2) * ors), r3 = (double*)(xp + (i + 3) * ors);
            int j = 0;
            for (; j + 4 <= cols; j += 4)
                Transpose4.Doubles(r0 + j, ors, pa + (long)j * ld + i, ld);
            for (; j < cols; j++)
            {
                double* d = pa + (long)j * ld + i;
                d[0] = r0[j]; d[1] = r1[j]; d[2] = r2[j]; d[3] = r3[j];
            }
        }
        for (; i < rows; i++)
        {
            double* r = (double*)(xp + i * ors);
            for (int j = 0; j < cols; j++) pa[(long)j * ld + i] = r[j];
        }
    }

    /// <summary>dst[i + j·dstLd] = src[i + j·srcLd]·2^-e for i &lt; len, j &lt; cols: one multiplication by the power of
    /// two where it is a normal double (a single rounding, so Math.ScaleB's bits), else Math.ScaleB (as <see cref="ScaleBy"/>).</summary>
    private static void CopyScaled(double* src, long srcLd, double* dst, long dstLd, int len, int cols, int e)
    {
        if (e > -1000 && e < 1000)
        {
            double f = BitConverter.Int64BitsToDouble((long)(1023 - e) << 52);
            for (int j = 0; j < cols; j++)
            {
                double* sj = src + j * srcLd, dj = dst + j * dstLd;
                for (int i = 0; i < len; i++) dj[i] = sj[i] * f;
            }
        }
        else
            for (int j = 0; j < cols; j++)
                for (int i = 0; i < len; i++) dst[i + j * dstLd] = Math.ScaleB(src[i + j * srcLd], -e);
    }

    /// <summary>Multiplies the first <paramref name="total"/> doubles of <paramref name="pa"/> by 2⁻ᵉ (exact
    /// unless a result is subnormal).</summary>
    private static void ScaleBy(double* pa, long total, int e)
    {
        if (e == 0) return;
        if (e > -1000 && e < 1000)
        {
            double f = BitConverter.Int64BitsToDouble((long)(1023 - e) << 52);
            for (long i = 0; i < total; i++) pa[i] *= f;
        }
        else for (long i = 0; i < total; i++) pa[i] = Math.ScaleB(pa[i], -e);
    }

    /// <summary><see cref="BidiagonalMax.Compute(double*, int, int, double*)"/> with the reduction on
    /// up to <paramref name="threads"/> threads (same result).</summary>
    private static double LargestBidiagonal(double* a, int m, int n, double* work, int threads)
    {
        Bidiagonalize.Reduce(a, m, n, work, null, threads);
        return BidiagonalMax.LargestOf(work, work + n, n, work + 2 * n);
    }

    /// <summary>|ad − bc| of the interleaved column-major complex 2×2 [a b; c d] (finite entries of any range) as
    /// <c>|det|·2^-E</c>, <paramref name="e"/> = E: a and b are brought to magnitudes in [1, 2), d and c by the powers of
    /// two that put both products at the scale 2^-E (E the larger product exponent; <see cref="SvdKernel.Det2"/>'s
    /// argument: the same bits as on any power-of-two scaling of the matrix wherever nothing underflows, and an
    /// underflowing product is 2⁻¹⁰²⁰ below the other). Every real product is then exact (FMA) and each part summed in
    /// double-double, so the determinant is accurate relative to itself.</summary>
    private static double ComplexDet2(double* p, out int e)
    {
        int ea = MagnitudeExponent(p[0], p[1]), ec = MagnitudeExponent(p[2], p[3]);
        int eb = MagnitudeExponent(p[4], p[5]), ed = MagnitudeExponent(p[6], p[7]);
        bool ad = ea != int.MinValue && ed != int.MinValue, bc = eb != int.MinValue && ec != int.MinValue;
        e = 0;
        if (!ad && !bc) return 0;
        int pad = ad ? ea + ed : int.MinValue, pbc = bc ? eb + ec : int.MinValue;
        e = Math.Max(pad, pbc);
        // a, b to [1, 2); d, c so that each product carries 2^-e (a product that is zero stays zero)
        int sa = ad ? -ea : 0, sd = ad ? ea - e : 0, sb = bc ? -eb : 0, sc = bc ? eb - e : 0;
        double ar = Math.ScaleB(p[0], sa), ai = Math.ScaleB(p[1], sa), cr = Math.ScaleB(p[2], sc), ci = Math.ScaleB(p[3], sc);
        double br = Math.ScaleB(p[4], sb), bi = Math.ScaleB(p[5], sb), dr = Math.ScaleB(p[6], sd), di = Math.ScaleB(p[7], sd);
        if (!ad) { ar = ai = 0; }
        if (!bc) { br = bi = 0; }
        double re = 0, rl = 0, im = 0, il = 0;
        AddProd(ref re, ref rl, ar, dr); AddProd(ref re, ref rl, -ai, di);
        AddProd(ref re, ref rl, -br, cr); AddProd(ref re, ref rl, bi, ci);
        AddProd(ref im, ref il, ar, di); AddProd(ref im, ref il, ai, dr);
        AddProd(ref im, ref il, -br, ci); AddProd(ref im, ref il, -bi, cr);
        return SvdKernel.HypotAny(re + rl, im + il);
    }

    /// <summary>ILogB of max(|re|, |im|); int.MinValue for zero.</summary>
    private static int MagnitudeExponent(double re, double im)
    {
        double m = Math.Max(Math.Abs(re), Math.Abs(im));
        return m == 0 ? int.MinValue : Math.ILogB(m);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddProd(ref double hi, ref double lo, double x, double y)
    {
        double pr = x * y, pe = Math.FusedMultiplyAdd(x, y, -pr);
        DD.Add(ref hi, ref lo, pr, pe);
    }

    /// <summary>max, min or double-double sum of the singular values (halved for the complex
    /// embedding, whose values come in pairs).</summary>
    /// <summary>Largest |component| of a complex matrix for <see cref="Diagonal"/>: below it no magnitude overflows.</summary>
    private const double DiagonalMax = 8.98846567431158e307; // 2¹⁰²³

    /// <summary>Whether the gathered rows×cols matrix (<paramref name="layout"/> and <paramref name="ld"/> as for
    /// <see cref="Diagonal"/>; largest |part| <paramref name="mx"/>) has a zero column or two equal columns, or, square,
    /// a zero row or two equal rows: then A·(eᵢ − eⱼ) = 0 (or yᵀA = 0) exactly and σ_min is exactly 0. ones(n, n),
    /// repeated columns and zero columns were numerically singular inputs for the Jacobi kernel, whose elimination
    /// leaves rounding noise it then reduced (σ_min of ones(200, 200) took 9 ms, NumPy 3.4 and its value 1e-247).
    /// One pass: each column's dot product with fixed pseudo-random position weights (equal columns give equal bits:
    /// the same operations in the same order) and each row's weighted sum over the columns (an axpy per column), a sort
    /// of these keys, exact comparison of the lines whose keys agree. <paramref name="scratch"/>: 6·rows + cols doubles,
    /// cleared again.</summary>
    private static bool ExactlySingular(double* a, int rows, int cols, int layout, int ld, double mx, double* scratch)
    {
        bool square = rows == cols;
        int len = layout == 0 ? rows : 2 * rows;
        long cs = layout == 1 ? 2L * rows : ld;
        double* w = scratch, rh = w + len;
        ulong* ch = (ulong*)(rh + len), rkey = ch + cols, sorted = rkey + rows;
        long used = 2L * len + cols + 2L * rows;
        // position weights in [1, 2), scaled so that no weighted sum of the column (or row) can overflow
        double scale = Math.ScaleB(1.0, -(Math.ILogB(mx) + BitOperations.Log2((uint)Math.Max(len, cols)) + 3));
        ulong g = 0x9E3779B97F4A7C15UL;
        for (int p = 0; p < len; p++) w[p] = Weight(ref g) * scale;
        if (square) new Span<double>(rh, len).Clear();
        bool found = false;
        for (int j = 0; j < cols && !found; j++)
        {
            double* col = a + j * cs;
            int p = 0;
            while (p < len && col[p] == 0) p++;
            if (p == len) { found = true; break; } // a zero column
            ch[j] = (ulong)BitConverter.DoubleToInt64Bits(Blas1.Dot(col, w, len) + 0.0);
            if (square) Blas1.Axpy(Weight(ref g) * scale, col, rh, len);
        }
        found = found || AnyEqual(ch, sorted, cols, (p, q) => LinesEqual(a + p * cs, a + q * cs, 1, len));
        if (!found && square)
        {
            // a row's key: its weighted sums (real and imaginary parts), exact zero rows first
            long rs = layout == 1 ? 2L * rows : ld;
            long off = layout == 1 ? 1 : rows;
            for (int i = 0; i < rows && !found; i++)
            {
                double re = layout == 1 ? rh[2 * i] : rh[i], im = layout == 0 ? 0 : layout == 1 ? rh[2 * i + 1] : rh[rows + i];
                rkey[i] = (ulong)BitConverter.DoubleToInt64Bits(re + 0.0) * 0xD6E8FEB86659FD93UL
                    + (ulong)BitConverter.DoubleToInt64Bits(im + 0.0) * 0x5851F42D4C957F2DUL;
                if (re == 0 && im == 0)
                {
                    double* ri = layout == 1 ? a + 2 * i : a + i;
                    bool zero = true;
                    for (int j = 0; j < cols && zero; j++) zero = ri[j * rs] == 0 && (layout == 0 || ri[j * rs + off] == 0);
                    found = zero;
                }
            }
            found = found || AnyEqual(rkey, sorted, rows, (p, q) =>
            {
                double* rp = layout == 1 ? a + 2 * p : a + p, rq = layout == 1 ? a + 2 * q : a + q;
                return LinesEqual(rp, rq, rs, cols) && (layout == 0 || LinesEqual(rp + off, rq + off, rs, cols));
            });
        }
        // the caller's kernel scratch: left as the kernels found it
        new Span<double>(scratch, (int)used).Clear();
        return found;
    }

    /// <summary>The next pseudo-random weight in [1, 2) (splitmix64 on <paramref name="g"/>): a fixed sequence.</summary>
    private static double Weight(ref ulong g)
    {
        ulong z = g += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return BitConverter.Int64BitsToDouble((long)(0x3FF0000000000000UL | (z >> 12)));
    }

    private static bool LinesEqual(double* p, double* q, long stride, int len)
    {
        for (int i = 0; i < len; i++) if (p[i * stride] != q[i * stride]) return false;
        return true;
    }

    /// <summary>Whether two of the n lines with hashes <paramref name="h"/> are equal (<paramref name="equal"/> decides
    /// each pair whose hashes agree). <paramref name="sorted"/>: n slots.</summary>
    private static bool AnyEqual(ulong* h, ulong* sorted, int n, Func<int, int, bool> equal)
    {
        var span = new Span<ulong>(sorted, n);
        new Span<ulong>(h, n).CopyTo(span);
        span.Sort();
        for (int t = 1; t < n; t++)
        {
            if (span[t] != span[t - 1]) continue;
            ulong v = span[t];
            for (int p = 0; p < n; p++)
                if (h[p] == v)
                    for (int q = p + 1; q < n; q++)
                        if (h[q] == v && equal(p, q)) return true;
            while (t + 1 < n && span[t + 1] == v) t++;
        }
        return false;
    }

    /// <summary>Whether the gathered rows×cols matrix (rows ≥ cols; <paramref name="layout"/> 0: real column-major with
    /// leading dimension <paramref name="ld"/>; 1: interleaved complex, columns 2·rows doubles apart; 2: the real
    /// embedding [[Re, −Im], [Im, Re]], leading dimension ld) has no nonzero entry off its diagonal; if so d[j] = |aⱼⱼ|
    /// (complex: <see cref="LineMagnitudes"/>, correctly rounded but for ~2⁻¹⁰⁰ near-ties). Stops at the first
    /// off-diagonal nonzero (a general matrix at its second entry). <paramref name="d"/> holds 2·cols doubles.</summary>
    private static bool Diagonal(double* a, int rows, int cols, int layout, int ld, double* d)
    {
        for (int j = 0; j < cols; j++)
        {
            if (layout == 0)
            {
                double* c = a + (long)j * ld;
                for (int i = 0; i < rows; i++)
                    if (c[i] != 0 && i != j) return false;
                d[j] = Math.Abs(c[j]);
            }
            else
            {
                // (re, im) of element i at c[i·sr], c[i·sr + si]
                double* c = layout == 1 ? a + 2L * j * rows : a + (long)j * ld;
                int sr = layout == 1 ? 2 : 1, si = layout == 1 ? 1 : rows;
                for (int i = 0; i < rows; i++)
                    if ((c[i * sr] != 0 || c[i * sr + si] != 0) && i != j) return false;
                d[2 * j] = c[j * sr]; d[2 * j + 1] = c[j * sr + si];
            }
        }
        if (layout != 0) LineMagnitudes.Run(d, cols, d);
        return true;
    }

    /// <summary>2, −2 or nuclear norm of a diagonal matrix from its singular values d[0..n) = |dⱼ| (<see cref="Diagonal"/>,
    /// unscaled): σ_max and σ_min are those values (k = 0), the nuclear norm their double-double sum, scaled by 2^−k so
    /// that the largest lands in [1, 2) (exact; the bits a tiny one loses lie far below the sum's last), rounded once.
    /// np.eye(50) at ord 2 ran a bisection on a 50-fold cluster (Laguerre converges only linearly there) and σ_min the
    /// certificate's failure and then Jacobi: 0.3× NumPy's time, complex 0.16×.</summary>
    private static double DiagonalNorm(double* d, int n, SvdOrd ord, out int k, out double lo)
    {
        lo = 0;
        k = 0;
        double mx = 0, mn = double.PositiveInfinity;
        for (int j = 0; j < n; j++) { mx = Math.Max(mx, d[j]); mn = Math.Min(mn, d[j]); }
        if (ord == SvdOrd.Max) return mx;
        if (ord == SvdOrd.Min) return mn;
        if (mx == 0) return 0;
        k = Math.ILogB(mx);
        double hi = 0;
        for (int j = 0; j < n; j++) DD.Add(ref hi, ref lo, Math.ScaleB(d[j], -k), 0);
        return hi;
    }

    private static double Reduce(double* s, int n, SvdOrd ord, bool complex, out double lo)
    {
        lo = 0;
        switch (ord)
        {
            case SvdOrd.Max: { double r = s[0]; for (int i = 1; i < n; i++) r = Math.Max(r, s[i]); return r; }
            case SvdOrd.Min: { double r = s[0]; for (int i = 1; i < n; i++) r = Math.Min(r, s[i]); return r; }
            default:
            {
                double hi = 0;
                for (int i = 0; i < n; i++) DD.Add(ref hi, ref lo, s[i], 0);
                if (complex) { hi *= 0.5; lo *= 0.5; }
                return hi;
            }
        }
    }
}
