using VoxCpm.LoadGenerator;

var options = LoadOptions.Parse(args);
return options.Mode switch
{
    "load" => await LoadRun.RunAsync(options),
    "transports" => await TransportBenchmark.RunAsync(options),
    _ => throw new ArgumentException($"--mode must be load or transports (got {options.Mode})"),
};
