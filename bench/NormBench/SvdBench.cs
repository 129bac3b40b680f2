using BenchmarkDotNet.Attributes;
using NormManaged;

namespace NormBench;

/// <summary>Singular-value norms (2 and nuclear) of one n×n float64 standard-normal matrix, C order:
/// the bidiagonal route (reduction, then Laguerre-bracketed bisection or dqds).
/// <c>--filter '*SvdNorms*'</c>.</summary>
[MemoryDiagnoser]
public unsafe class SvdNorms
{
    [Params(20, 50, 200, 1000)] public int N;
    [Params(2, 0)] public int OrdCode; // 0 = nuclear
    private double[] _x = Array.Empty<double>();

    [GlobalSetup] public void Setup() => _x = Call.Randn(N * N, 11);

    [Benchmark]
    public double NormManaged()
    {
        double r;
        fixed (double* p = _x)
        {
            ReadOnlySpan<long> shape = stackalloc long[] { N, N };
            ReadOnlySpan<long> strides = stackalloc long[] { 8L * N, 8 };
            MatrixNorms.Compute(new NdView(p, DType.Float64, shape, strides), 0, 1, OrdCode == 0 ? Ord.Nuc : Ord.Of(OrdCode),
                new NdView(&r, DType.Float64, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty));
        }
        return r;
    }
}
