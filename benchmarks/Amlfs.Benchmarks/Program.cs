using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/Amlfs.Benchmarks -- --filter '*' [--inProcess]
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
