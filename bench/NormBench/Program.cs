using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using NormManaged;

namespace NormBench;

/// <summary>BenchmarkDotNet entry point. <c>--quick</c> (used by <c>./build.sh bench</c> with BENCH_QUICK=1)
/// runs a short in-process job; other arguments go to BenchmarkDotNet's switcher (e.g. <c>--filter *Ord*</c>).</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        bool quick = args.Contains("--quick");
        args = args.Where(a => a != "--quick").ToArray();
        IConfig config = DefaultConfig.Instance.WithOptions(ConfigOptions.DisableOptimizationsValidator);
        if (quick)
            config = config.AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance)
                .WithWarmupCount(2).WithIterationCount(5).WithLaunchCount(1));
        if (args.Length == 0) args = new[] { "--filter", "*" };
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return 0;
    }
}

/// <summary>Shared helpers: one NdView call over a double array.</summary>
internal static unsafe class Call
{
    public static double Norm(double[] x, Ord ord, int step = 1)
    {
        fixed (double* p = x)
        {
            long n = step > 0 ? (x.Length + step - 1) / step : (x.Length + (-step) - 1) / -step;
            ReadOnlySpan<long> shape = stackalloc long[] { n };
            ReadOnlySpan<long> strides = stackalloc long[] { step * 8L };
            double r;
            var v = new NdView(step > 0 ? p : p + x.Length - 1, DType.Float64, shape, strides);
            var o = new NdView(&r, DType.Float64, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty);
            VectorNorms.Compute(v, 1, ord, o);
            return r;
        }
    }

    public static double[] Randn(int n, int seed)
    {
        var rng = new Random(seed);
        var a = new double[n];
        for (int i = 0; i < n; i++)
            a[i] = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        return a;
    }
}

/// <summary>float64 2-norm against a naive loop and TensorPrimitives (both unsafe: they overflow for |x| &gt; 1e154).</summary>
[MemoryDiagnoser]
public class TwoNorm
{
    [Params(10, 1_000, 100_000, 1_000_000)]
    public int N;
    private double[] _x = Array.Empty<double>();

    [GlobalSetup] public void Setup() => _x = Call.Randn(N, 1);

    [Benchmark(Baseline = true)]
    public double Naive()
    {
        double s = 0;
        foreach (double v in _x) s += v * v;
        return Math.Sqrt(s);
    }

    [Benchmark] public double TensorPrimitivesNorm() => System.Numerics.Tensors.TensorPrimitives.Norm<double>(_x);
    [Benchmark] public double TensorPrimitivesSumOfSquares() => Math.Sqrt(System.Numerics.Tensors.TensorPrimitives.SumOfSquares<double>(_x));
    [Benchmark] public double NormManaged() => Call.Norm(_x, Ord.Two);
    [Benchmark] public double NormManagedStride2() => Call.Norm(_x, Ord.Two, 2);
    [Benchmark] public double NormManagedReversed() => Call.Norm(_x, Ord.Two, -1);
}

/// <summary>Other vector orders on 1e6 float64 elements.</summary>
[MemoryDiagnoser]
public class Ords
{
    [Params(1.0, double.PositiveInfinity, 0.0, 3.0, 0.5, 2.5, -1.0)]
    public double P;
    private double[] _x = Array.Empty<double>();

    [GlobalSetup] public void Setup() => _x = Call.Randn(1_000_000, 2);

    [Benchmark(Baseline = true)]
    public double Naive()
    {
        double p = P, s = 0;
        if (double.IsPositiveInfinity(p)) { foreach (double v in _x) s = Math.Max(s, Math.Abs(v)); return s; }
        if (p == 0) { foreach (double v in _x) s += v != 0 ? 1 : 0; return s; }
        foreach (double v in _x) s += Math.Pow(Math.Abs(v), p);
        return Math.Pow(s, 1 / p);
    }

    [Benchmark] public double NormManaged() => Call.Norm(_x, Ord.Of(P));
}

/// <summary>Axis reductions of a 1000×1000 C-order float64 matrix.</summary>
[MemoryDiagnoser]
public unsafe class Axes
{
    private double[] _x = Array.Empty<double>();
    private readonly double[] _out = new double[1000];
    [Params(0, 1)] public int Axis;
    [Params(1.0, 2.0)] public double P;

    [GlobalSetup] public void Setup() => _x = Call.Randn(1_000_000, 3);

    [Benchmark]
    public double NormManaged()
    {
        fixed (double* p = _x) fixed (double* o = _out)
        {
            ReadOnlySpan<long> shape = stackalloc long[] { 1000, 1000 };
            ReadOnlySpan<long> strides = stackalloc long[] { 8000, 8 };
            ReadOnlySpan<long> oshape = stackalloc long[] { 1000 };
            ReadOnlySpan<long> ostr = stackalloc long[] { 8 };
            VectorNorms.Compute(new NdView(p, DType.Float64, shape, strides), 1UL << Axis, Ord.Of(P), new NdView(o, DType.Float64, oshape, ostr));
        }
        return _out[0];
    }
}
