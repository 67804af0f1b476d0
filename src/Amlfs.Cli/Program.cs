using System.CommandLine;
using Amlfs.Cli.Commands;

var root = new RootCommand("amlfs: a real-time anti-money-laundering feature store");
root.Subcommands.Add(ApplyCommand.Create());
root.Subcommands.Add(FeaturesCommand.Create());
root.Subcommands.Add(GenerateCommand.Create());
return await root.Parse(args).InvokeAsync();
