namespace NormManaged.Tests;

/// <summary>Test inputs by dtype: values drawn from a few kinds that reach the ends of each format (huge, tiny,
/// subnormal, rows mixing all exponents, special values), and their encoding into the bytes of a dtype.</summary>
internal static unsafe class TestData
{
    /// <summary>Kinds of <see cref="Draw"/>: 0 a standard Gaussian; 1 near the top and 2 near the bottom of the normal
    /// range; 3 subnormal; 4 any exponent of the format (huge and tiny in one row); 5 a Gaussian, or one time in 24
    /// each: 0, ±∞, NaN, −0 and the format's largest finite value.</summary>
    public const int Kinds = 6;

    /// <summary>One value of kind <paramref name="kind"/> (see <see cref="Kinds"/>) scaled for float64, float32 or
    /// float16 data (<paramref name="t"/>; complex dtypes use their parts' scales).</summary>
    public static double Draw(Random rng, int kind, DType t)
    {
        var s = Scales(t);
        double g = MatrixTestUtil.Gaussian(rng);
        double v = kind switch
        {
            1 => g * s.Huge,
            2 => g * s.Tiny,
            3 => g * s.Subnormal,
            4 => g * Math.ScaleB(1.0, rng.Next(s.MinExp, s.MaxExp)),
            _ => g,
        };
        if (kind == 5)
        {
            v = rng.Next(24) switch
            {
                0 => 0, 1 => double.PositiveInfinity, 2 => double.NegativeInfinity, 3 => double.NaN, 4 => -0.0, 5 => s.Max,
                _ => v,
            };
        }
        return v;
    }

    private readonly record struct Scale(double Huge, double Tiny, double Subnormal, int MinExp, int MaxExp, double Max);

    private static Scale Scales(DType t) => t switch
    {
        DType.Float64 or DType.Complex128 => new(1e300, 1e-300, 1e-315, -1074, 1020, double.MaxValue),
        DType.Float32 or DType.Complex64 => new(3e37, 1e-37, 1e-43, -149, 126, float.MaxValue),
        DType.Float16 => new(2e4, 1e-4, 3e-6, -24, 15, (double)Half.MaxValue),
        _ => throw new ArgumentException($"no scales for {t}"),
    };

    /// <summary>Random lines of one value kind (<see cref="Draw"/>) in one of four layouts — C rows, strided inside a wider
    /// array, reversed rows, adjacent lines (F order) — encoded in dtype t: the bytes and the row stride, column stride
    /// and first element, in elements, and the kind and layout drawn (for messages).</summary>
    public static (byte[] Data, long Rs, long Cs, long First, int Kind, int Layout) Lines(Random rng, int rows, int n, DType t)
    {
        int kind = rng.Next(Kinds);
        int layout = rng.Next(4);
        long cs = layout switch { 1 => 3, 2 => -1, 3 => rows, _ => 1 };
        long rs = layout switch { 1 => 3L * n + 2, 2 => n, 3 => 1, _ => n };
        long span = layout == 1 ? (3L * n + 2) * rows : (long)n * rows;
        long first = layout == 2 ? n - 1 : 0;
        var v = new double[span + 1];
        for (int i = 0; i < v.Length; i++) v[i] = Draw(rng, kind, t);
        return (Encode(v, t), rs, cs, first, kind, layout);
    }

    /// <summary><paramref name="v"/> written as dtype <paramref name="t"/>, one element (complex: one part) per value:
    /// float64/complex128 as doubles, float32/complex64 as floats, float16 as halves (each rounded once to nearest),
    /// int32 truncated (non-finite values: 7); followed by <paramref name="padBytes"/> zero bytes.</summary>
    public static byte[] Encode(double[] v, DType t, int padBytes = 0)
    {
        int es = t switch
        {
            DType.Float64 or DType.Complex128 => 8,
            DType.Float32 or DType.Complex64 or DType.Int32 => 4,
            DType.Float16 => 2,
            _ => throw new ArgumentException($"cannot encode {t}"),
        };
        var b = new byte[v.Length * es + padBytes];
        fixed (byte* q = b)
            for (int i = 0; i < v.Length; i++)
                switch (t)
                {
                    case DType.Float64 or DType.Complex128: ((double*)q)[i] = v[i]; break;
                    case DType.Float32 or DType.Complex64: ((float*)q)[i] = (float)v[i]; break;
                    case DType.Float16: ((Half*)q)[i] = (Half)v[i]; break;
                    default: ((int*)q)[i] = double.IsFinite(v[i]) ? (int)v[i] : 7; break;
                }
        return b;
    }
}
