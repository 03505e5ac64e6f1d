using EventsBindings.MockServer.Commands;

return await MockCommandLine.Build().Parse(args).InvokeAsync().ConfigureAwait(false);
