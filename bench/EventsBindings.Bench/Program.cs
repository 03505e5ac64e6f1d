using EventsBindings.Bench;

return await BenchCli.RunAsync(args);
