using BenchmarkDotNet.Running;

// Allocation and time per operation of the hot paths; run by scripts/bench-alloc.sh, never by the tests.
BenchmarkSwitcher.FromAssembly(typeof(VoxCpm.Benchmarks.FixturePaths).Assembly).Run(args);
