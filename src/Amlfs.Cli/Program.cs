using Amlfs.Cli;

return AmlfsCli.Run(args, CliEnvironment.ForProcess());
