using VoxCpm.LoadGenerator;

return await LoadRun.RunAsync(LoadOptions.Parse(args));
