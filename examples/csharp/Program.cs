// NormManaged from C#: spans, tensor spans, exceptions.
using System.Numerics;
using System.Numerics.Tensors;
using NormManaged;

double[] v = { 3, 4, 12 };
double n2 = Norms.VectorNorm(v);                                   // 13
double n1 = Norms.VectorNorm(v, 1);                                // 19
float nf = Norms.VectorNorm(new float[] { 3, 4 });                 // 5 (float result)
double nz = Norms.VectorNorm(new Complex[] { new(3, 4), new(0, 12) });
double big = Norms.VectorNorm(new[] { 1e200, 1e200 });             // no overflow
double[] m = { 1, 2, 3, 4 };
double fro = Norms.MatrixNorm(m, 2, 2);                            // sqrt(30)
double inf = Norms.MatrixNorm(m, 2, 2, Ord.Of(double.PositiveInfinity));
var t = new ReadOnlyTensorSpan<double>(new double[] { 3, 5, 4, 12 }, new nint[] { 2, 2 }, new nint[] { 1, 2 });
double tn = Norms.VectorNorm(t);
Console.WriteLine($"2-norm {n2}, 1-norm {n1}, float {nf}, complex {nz}, big {big:R}, fro {fro:R}, inf {inf}, tensor {tn}");
string err = "";
try { Norms.MatrixNorm(m, 2, 2, Ord.Of(3)); }
catch (ArgumentException e) { err = e.Message; Console.WriteLine($"ord 3 for a matrix: {e.GetType().Name}: {e.Message}"); }
bool ok = n2 == 13 && n1 == 19 && nf == 5f && nz == 13 && big == 1.4142135623730951e200 && fro == Math.Sqrt(30)
          && inf == 7 && tn == Math.Sqrt(194) && err.Length > 0;
Console.WriteLine(ok ? "sample OK" : "sample WRONG");
return ok ? 0 : 1;
