using Buses.Can;

namespace Buses.Cli.Commands;

/// <summary><c>buses can gw …</c>: cangw, with its command line as it is.</summary>
internal static class CanGwCommand
{
    public static readonly CliCommand Command = new(
        "can gw",
        "manage the kernel CAN gateway (cangw's options)",
        """
        buses can gw -A|-D|-F|-L [options]

        Takes cangw's command line as it is and sends the same netlink request.
        Commands:  -A add a rule, -D delete a rule, -F flush all rules, -L list all rules
        Mandatory for -A and -D:  -s SRC_DEV  -d DST_DEV
        Options:   -X  a CAN FD rule          -t  keep the source rx timestamp
                   -e  echo sent frames (recommended on vcan)
                   -i  allow routing back to the incoming interface
                   -u UID  user defined modification id (hex)   -l HOPS  hop limit
                   -f ID:MASK | ID~MASK  filter (hex)
                   -m OP:ELEMENTS:ID.DLC.DATA8     classic modification (OP AND|OR|XOR|SET,
                                                   ELEMENTS of I L D, 8 data bytes in hex)
                   -M OP:ELEMENTS:ID.FLAGS.LEN.DATA64   CAN FD modification (ELEMENTS of I F L D)
                   -x FROM:TO:RESULT:INIT          XOR checksum
                   -c FROM:TO:RESULT:INIT:XOR:TABLE256   CRC8 checksum
                   -p PROFILE:[DATA]               CRC8 profile 1 (1U8), 2 (16U8), 3 (SFFID_XOR)
        -L prints each rule as cangw -L does, after this command's name, with its counters.

        Example: buses can gw -A -s vcan0 -d vcan1 -e -f 123:7FF -m SET:IL:333.4.1122334455667788

        Exit status: 0 done, 1 the kernel refused (errno named), 2 bad arguments.

        """,
        Run);

    private static int Run(CliContext context)
    {
        CanGatewayRule rule = CanGatewayRule.Parse(context.Args, out CanGatewayCommand command);
        using var gateway = new CanGateway();
        foreach (CanGatewayRule listed in gateway.Execute(command, rule))
        {
            context.Out.WriteLine($"buses can gw {listed}");
        }

        return Dispatcher.Success;
    }
}
