namespace EventsBindings.Filtering.Tests;
