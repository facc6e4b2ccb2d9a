using VoxCpm.Engine.Cli;

return await CommandLine.RunAsync(args);
