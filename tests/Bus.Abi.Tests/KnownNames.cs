namespace Buses.Abi.Tests;

/// <summary>
/// What reflection cannot guess: which public .NET-named types are kernel layouts or Linux
/// constants and what their C names are, C members whose C# field is spelled differently, and
/// the few C#-side names with no C macro of the same name (a C expression, or "-" and the reason
/// the library owns the value).
/// </summary>
internal sealed class KnownNames
{
    internal sealed record Layout(string? CType, string? Reason, Dictionary<string, string> Fields);

    internal sealed record ConstantMap(bool SameNames, Dictionary<string, string> Members);

    public Dictionary<string, Layout> Layouts { get; } = [];

    public HashSet<string> NotKernelLayouts { get; } = [];

    public Dictionary<string, ConstantMap> TypeConstants { get; } = [];

    public Dictionary<string, string> Constants { get; } = [];

    /// <summary>C names newer than the oldest headers the test runs with: checked where the headers have them.</summary>
    public HashSet<string> NewerUapi { get; } = [];

    // Sections: "[struct CSharpType = C type]" (or "= - reason" for a library-own layout) with
    // "csField = c.member" lines; "[constants CSharpType]" with "Member = C expression" lines, where
    // every member must be listed, or "[constants CSharpType *]" where unlisted members keep their
    // own name as the C name; "[constants]" with "Full.Name.MEMBER = C expression" lines.
    private const string Table = """
        [struct Buses.Can.CanFrame = struct can_frame]
        _canId = can_id
        _len = len
        _pad = __pad
        _res0 = __res0
        _len8Dlc = len8_dlc
        _data = data

        [struct Buses.Can.CanFdFrame = struct canfd_frame]
        _canId = can_id
        _len = len
        _flags = flags
        _res0 = __res0
        _res1 = __res1
        _data = data

        [struct Buses.Can.CanXlFrame = struct canxl_frame]
        _prio = prio
        _flags = flags
        _sdt = sdt
        _len = len
        _af = af
        _data = data

        [struct Buses.Can.CanFilter = struct can_filter]
        _canId = can_id
        _canMask = can_mask

        [struct Buses.Can.CanBitTiming = struct can_bittiming]
        Bitrate = bitrate
        SamplePoint = sample_point
        TimeQuantum = tq
        PropagationSegment = prop_seg
        PhaseSegment1 = phase_seg1
        PhaseSegment2 = phase_seg2
        SynchronizationJumpWidth = sjw
        BitratePrescaler = brp

        [struct Buses.Can.CanBitTimingConstant = struct can_bittiming_const]
        _name = name
        _tseg1Min = tseg1_min
        _tseg1Max = tseg1_max
        _tseg2Min = tseg2_min
        _tseg2Max = tseg2_max
        _sjwMax = sjw_max
        _brpMin = brp_min
        _brpMax = brp_max
        _brpInc = brp_inc

        [struct Buses.Can.CanBusErrorCounters = struct can_berr_counter]
        TransmitErrors = txerr
        ReceiveErrors = rxerr

        [struct Buses.Can.CanDeviceStatistics = struct can_device_stats]
        BusErrors = bus_error
        ErrorWarnings = error_warning
        ErrorPassives = error_passive
        BusOffs = bus_off
        ArbitrationLost = arbitration_lost
        Restarts = restarts

        [struct Buses.Netlink.NetlinkHeader = struct nlmsghdr]
        Length = nlmsg_len
        Type = nlmsg_type
        Flags = nlmsg_flags
        Sequence = nlmsg_seq
        PortId = nlmsg_pid

        [struct Buses.Packet.BpfInstruction = struct sock_filter]
        Code = code
        JumpIfTrue = jt
        JumpIfFalse = jf
        Constant = k

        [struct Buses.Inet.PeerCredentials = struct ucred]
        _processId = pid
        _userId = uid
        _groupId = gid

        [struct Buses.Can.IsoTpOptions = struct can_isotp_options]
        Flags = flags
        FrameTransmitTime = frame_txtime
        ExtendedAddress = ext_address
        TransmitPadding = txpad_content
        ReceivePadding = rxpad_content
        ReceiveExtendedAddress = rx_ext_address

        [struct Buses.Can.IsoTpFlowControl = struct can_isotp_fc_options]
        BlockSize = bs
        SeparationTime = stmin
        WaitFrameMax = wftmax

        [struct Buses.Can.IsoTpLinkLayer = struct can_isotp_ll_options]
        Mtu = mtu
        TransmitDataLength = tx_dl
        TransmitFlags = tx_flags

        # sockaddr_can's union can_addr is flattened into explicit offsets.
        # bdaddr_t is a typedef of an anonymous struct in BlueZ's bluetooth.h.
        [struct Buses.Bluetooth.Interop.bdaddr_t = bdaddr_t]
        b = b

        [struct Buses.Can.Interop.sockaddr_can]
        tp_rx_id = can_addr.tp.rx_id
        tp_tx_id = can_addr.tp.tx_id
        j1939_name = can_addr.j1939.name
        j1939_pgn = can_addr.j1939.pgn
        j1939_addr = can_addr.j1939.addr

        # sockaddr_tipc's union addr is flattened into explicit offsets.
        [struct Buses.Tipc.Interop.sockaddr_tipc]
        id_ref = addr.id.ref
        id_node = addr.id.node
        nameseq_type = addr.nameseq.type
        nameseq_lower = addr.nameseq.lower
        nameseq_upper = addr.nameseq.upper
        name_type = addr.name.name.type
        name_instance = addr.name.name.instance
        name_domain = addr.name.domain

        # Public .NET-named constants with kernel values. In an enum, a member "None" = 0 is the
        # empty flag set and needs no C name.
        [constants Buses.Errno *]

        [constants Buses.SocketFamily]
        Unspecified = AF_UNSPEC
        Unix = AF_UNIX
        Inet = AF_INET
        Inet6 = AF_INET6
        Netlink = AF_NETLINK
        Packet = AF_PACKET
        Can = AF_CAN
        Tipc = AF_TIPC
        Bluetooth = AF_BLUETOOTH
        Alg = AF_ALG
        Vsock = AF_VSOCK

        [constants Buses.MessageFlags]
        OutOfBand = MSG_OOB
        Peek = MSG_PEEK
        DontRoute = MSG_DONTROUTE
        ControlTruncated = MSG_CTRUNC
        Truncated = MSG_TRUNC
        DontWait = MSG_DONTWAIT
        EndOfRecord = MSG_EOR
        WaitAll = MSG_WAITALL
        Confirm = MSG_CONFIRM
        ErrorQueue = MSG_ERRQUEUE
        NoSignal = MSG_NOSIGNAL
        More = MSG_MORE
        WaitForOne = MSG_WAITFORONE
        ControlCloseOnExec = MSG_CMSG_CLOEXEC

        [constants Buses.SocketLevel]
        Socket = SOL_SOCKET
        IP = SOL_IP
        Tcp = SOL_TCP
        Udp = IPPROTO_UDP
        IPv6 = SOL_IPV6
        UdpLite = IPPROTO_UDPLITE
        Raw = SOL_RAW
        Packet = SOL_PACKET
        Netlink = SOL_NETLINK
        Tipc = SOL_TIPC
        Alg = SOL_ALG
        Bluetooth = SOL_BLUETOOTH
        Hci = SOL_HCI
        L2cap = SOL_L2CAP
        Sco = SOL_SCO
        Rfcomm = SOL_RFCOMM
        CanBase = SOL_CAN_BASE
        CanRaw = SOL_CAN_RAW
        CanIsoTp = SOL_CAN_ISOTP
        CanJ1939 = SOL_CAN_J1939

        [constants Buses.ControlMessageType]
        Rights = SCM_RIGHTS
        Credentials = SCM_CREDENTIALS
        Timestamp = SCM_TIMESTAMP
        TimestampNanoseconds = SCM_TIMESTAMPNS
        Timestamping = SCM_TIMESTAMPING
        ReceiveQueueOverflow = SO_RXQ_OVFL
        TransmitTime = SCM_TXTIME
        TimestampingOptionStats = SCM_TIMESTAMPING_OPT_STATS

        [constants Buses.ControlMessageType.J1939]
        DestinationAddress = SCM_J1939_DEST_ADDR
        DestinationName = SCM_J1939_DEST_NAME
        Priority = SCM_J1939_PRIO
        ErrorQueue = SCM_J1939_ERRQUEUE

        [constants Buses.ControlMessageType.Tipc]
        ErrorInfo = TIPC_ERRINFO
        ReturnedData = TIPC_RETDATA
        DestinationName = TIPC_DESTNAME

        [constants Buses.ControlMessageType.Hci]
        Direction = HCI_CMSG_DIR
        Timestamp = HCI_CMSG_TSTAMP

        [struct Buses.Bluetooth.BluetoothSecurity = struct bt_security]
        Level = level
        KeySize = key_size

        [struct Buses.Bluetooth.L2capOptions = struct l2cap_options]
        OutgoingMtu = omtu
        IncomingMtu = imtu
        FlushTimeout = flush_to
        Mode = mode
        Fcs = fcs
        MaxTransmit = max_tx
        TransmitWindowSize = txwin_size

        [struct Buses.Bluetooth.BluetoothConnectionInfo = struct l2cap_conninfo]
        _hciHandle = hci_handle
        _class0 = dev_class[0]
        _class1 = dev_class[1]
        _class2 = dev_class[2]

        [struct Buses.Bluetooth.HciFilter = struct hci_filter]
        TypeMask = type_mask
        EventMaskLow = event_mask[0]
        EventMaskHigh = event_mask[1]
        Opcode = opcode

        [struct Buses.Inet.MulticastRequest = struct ip_mreqn]
        Group = imr_multiaddr
        LocalAddress = imr_address
        InterfaceIndex = imr_ifindex

        [struct Buses.Inet.Multicast6Request = struct ipv6_mreq]
        Group = ipv6mr_multiaddr
        InterfaceIndex = ipv6mr_interface

        [struct Buses.Linger = struct linger]
        Enabled = l_onoff
        Seconds = l_linger

        [struct Buses.TimeValue = struct timeval]
        Seconds = tv_sec
        Microseconds = tv_usec

        [struct Buses.SocketTransmitTime = struct sock_txtime]
        ClockId = clockid
        Flags = flags

        [constants Buses.TimestampingFlags]
        TransmitHardware = SOF_TIMESTAMPING_TX_HARDWARE
        TransmitSoftware = SOF_TIMESTAMPING_TX_SOFTWARE
        ReceiveHardware = SOF_TIMESTAMPING_RX_HARDWARE
        ReceiveSoftware = SOF_TIMESTAMPING_RX_SOFTWARE
        Software = SOF_TIMESTAMPING_SOFTWARE
        RawHardware = SOF_TIMESTAMPING_RAW_HARDWARE
        OptionId = SOF_TIMESTAMPING_OPT_ID
        TransmitScheduled = SOF_TIMESTAMPING_TX_SCHED
        TransmitAcknowledged = SOF_TIMESTAMPING_TX_ACK
        OptionControlMessage = SOF_TIMESTAMPING_OPT_CMSG
        OptionTimestampOnly = SOF_TIMESTAMPING_OPT_TSONLY
        OptionStats = SOF_TIMESTAMPING_OPT_STATS

        [constants Buses.Netlink.NetlinkMessageFlags]
        Request = NLM_F_REQUEST
        Multi = NLM_F_MULTI
        Ack = NLM_F_ACK
        Echo = NLM_F_ECHO
        DumpInterrupted = NLM_F_DUMP_INTR
        DumpFiltered = NLM_F_DUMP_FILTERED
        Root = NLM_F_ROOT
        Match = NLM_F_MATCH
        Dump = NLM_F_DUMP
        Replace = NLM_F_REPLACE
        Exclusive = NLM_F_EXCL
        Create = NLM_F_CREATE
        Append = NLM_F_APPEND
        Capped = NLM_F_CAPPED
        AckTlvs = NLM_F_ACK_TLVS

        [constants Buses.Netlink.NetlinkMessageType]
        Noop = NLMSG_NOOP
        Error = NLMSG_ERROR
        Done = NLMSG_DONE
        Overrun = NLMSG_OVERRUN
        MinimumProtocolType = NLMSG_MIN_TYPE

        [constants Buses.Netlink.NetlinkProtocol]
        Route = NETLINK_ROUTE
        SockDiag = NETLINK_SOCK_DIAG
        Netfilter = NETLINK_NETFILTER
        KobjectUevent = NETLINK_KOBJECT_UEVENT
        Generic = NETLINK_GENERIC

        [constants Buses.Netlink.LinkFlags]
        Up = IFF_UP
        Broadcast = IFF_BROADCAST
        Debug = IFF_DEBUG
        Loopback = IFF_LOOPBACK
        PointToPoint = IFF_POINTOPOINT
        NoTrailers = IFF_NOTRAILERS
        Running = IFF_RUNNING
        NoArp = IFF_NOARP
        Promiscuous = IFF_PROMISC
        AllMulticast = IFF_ALLMULTI
        Master = IFF_MASTER
        Slave = IFF_SLAVE
        Multicast = IFF_MULTICAST
        PortSelect = IFF_PORTSEL
        AutoMedia = IFF_AUTOMEDIA
        Dynamic = IFF_DYNAMIC
        LowerUp = IFF_LOWER_UP
        Dormant = IFF_DORMANT
        Echo = IFF_ECHO

        [constants Buses.Netlink.LinkOperationalState]
        Unknown = IF_OPER_UNKNOWN
        NotPresent = IF_OPER_NOTPRESENT
        Down = IF_OPER_DOWN
        LowerLayerDown = IF_OPER_LOWERLAYERDOWN
        Testing = IF_OPER_TESTING
        Dormant = IF_OPER_DORMANT
        Up = IF_OPER_UP

        [constants Buses.Packet.PacketType]
        Host = PACKET_HOST
        Broadcast = PACKET_BROADCAST
        Multicast = PACKET_MULTICAST
        OtherHost = PACKET_OTHERHOST
        Outgoing = PACKET_OUTGOING
        Loopback = PACKET_LOOPBACK
        User = PACKET_USER
        Kernel = PACKET_KERNEL

        [constants Buses.Packet.PacketMembershipType]
        Multicast = PACKET_MR_MULTICAST
        Promiscuous = PACKET_MR_PROMISC
        AllMulticast = PACKET_MR_ALLMULTI
        Unicast = PACKET_MR_UNICAST

        [constants Buses.Packet.EtherType]
        All = ETH_P_ALL
        IPv4 = ETH_P_IP
        Arp = ETH_P_ARP
        IPv6 = ETH_P_IPV6
        Can = ETH_P_CAN
        CanFd = ETH_P_CANFD
        CanXl = ETH_P_CANXL
        Tipc = ETH_P_TIPC
        LocalExperimental1 = ETH_P_802_EX1

        [constants Buses.Packet.HardwareType]
        Ethernet = ARPHRD_ETHER
        Can = ARPHRD_CAN
        Loopback = ARPHRD_LOOPBACK
        None = ARPHRD_NONE

        [constants Buses.Packet.BpfInstruction]
        Load = BPF_LD
        LoadX = BPF_LDX
        Alu = BPF_ALU
        Jmp = BPF_JMP
        Ret = BPF_RET
        Word = BPF_W
        Half = BPF_H
        Byte = BPF_B
        Immediate = BPF_IMM
        Absolute = BPF_ABS
        Indirect = BPF_IND
        Length = BPF_LEN
        JumpAlways = BPF_JA
        JumpEqual = BPF_JEQ
        JumpGreater = BPF_JGT
        JumpGreaterOrEqual = BPF_JGE
        JumpSet = BPF_JSET
        SourceConstant = BPF_K
        SourceA = BPF_A
        MaxProgramLength = BPF_MAXINSNS

        [constants Buses.Can.BcmOpcode]
        TransmitSetup = TX_SETUP
        TransmitDelete = TX_DELETE
        TransmitRead = TX_READ
        TransmitSend = TX_SEND
        ReceiveSetup = RX_SETUP
        ReceiveDelete = RX_DELETE
        ReceiveRead = RX_READ
        TransmitStatus = TX_STATUS
        TransmitExpired = TX_EXPIRED
        ReceiveStatus = RX_STATUS
        ReceiveTimeout = RX_TIMEOUT
        ReceiveChanged = RX_CHANGED

        [constants Buses.Can.BcmFlags]
        SetTimer = SETTIMER
        StartTimer = STARTTIMER
        TransmitCountEvent = TX_COUNTEVT
        TransmitAnnounce = TX_ANNOUNCE
        TransmitCopyCanId = TX_CP_CAN_ID
        ReceiveFilterId = RX_FILTER_ID
        ReceiveCheckDlc = RX_CHECK_DLC
        ReceiveNoAutoTimer = RX_NO_AUTOTIMER
        ReceiveAnnounceResume = RX_ANNOUNCE_RESUME
        TransmitResetMultiIndex = TX_RESET_MULTI_IDX
        ReceiveRtrFrame = RX_RTR_FRAME
        CanFdFrame = CAN_FD_FRAME

        [constants Buses.Can.IsoTpFlags]
        ListenMode = CAN_ISOTP_LISTEN_MODE
        ExtendedAddress = CAN_ISOTP_EXTEND_ADDR
        TransmitPadding = CAN_ISOTP_TX_PADDING
        ReceivePadding = CAN_ISOTP_RX_PADDING
        CheckPaddingLength = CAN_ISOTP_CHK_PAD_LEN
        CheckPaddingData = CAN_ISOTP_CHK_PAD_DATA
        HalfDuplex = CAN_ISOTP_HALF_DUPLEX
        ForceTransmitStmin = CAN_ISOTP_FORCE_TXSTMIN
        ForceReceiveStmin = CAN_ISOTP_FORCE_RXSTMIN
        ReceiveExtendedAddress = CAN_ISOTP_RX_EXT_ADDR
        WaitTransmitDone = CAN_ISOTP_WAIT_TX_DONE
        SingleFrameBroadcast = CAN_ISOTP_SF_BROADCAST
        ConsecutiveFrameBroadcast = CAN_ISOTP_CF_BROADCAST
        DynamicFlowControl = CAN_ISOTP_DYN_FC_PARMS
        [constants Buses.Bluetooth.BluetoothAddressType]
        BrEdr = BDADDR_BREDR
        LePublic = BDADDR_LE_PUBLIC
        LeRandom = BDADDR_LE_RANDOM

        [constants Buses.Bluetooth.BluetoothSecurityLevel]
        Sdp = BT_SECURITY_SDP
        Low = BT_SECURITY_LOW
        Medium = BT_SECURITY_MEDIUM
        High = BT_SECURITY_HIGH
        Fips = BT_SECURITY_FIPS

        [constants Buses.Bluetooth.L2capMode]
        Basic = BT_MODE_BASIC
        EnhancedRetransmission = BT_MODE_ERTM
        Streaming = BT_MODE_STREAMING
        LeFlowControl = BT_MODE_LE_FLOWCTL
        ExtendedFlowControl = BT_MODE_EXT_FLOWCTL

        [constants Buses.Bluetooth.BluetoothPhy]
        Br1M1Slot = BT_PHY_BR_1M_1SLOT
        Br1M3Slot = BT_PHY_BR_1M_3SLOT
        Br1M5Slot = BT_PHY_BR_1M_5SLOT
        Edr2M1Slot = BT_PHY_EDR_2M_1SLOT
        Edr2M3Slot = BT_PHY_EDR_2M_3SLOT
        Edr2M5Slot = BT_PHY_EDR_2M_5SLOT
        Edr3M1Slot = BT_PHY_EDR_3M_1SLOT
        Edr3M3Slot = BT_PHY_EDR_3M_3SLOT
        Edr3M5Slot = BT_PHY_EDR_3M_5SLOT
        Le1MTransmit = BT_PHY_LE_1M_TX
        Le1MReceive = BT_PHY_LE_1M_RX
        Le2MTransmit = BT_PHY_LE_2M_TX
        Le2MReceive = BT_PHY_LE_2M_RX
        LeCodedTransmit = BT_PHY_LE_CODED_TX
        LeCodedReceive = BT_PHY_LE_CODED_RX

        [constants Buses.Bluetooth.HciChannel]
        Raw = HCI_CHANNEL_RAW
        User = HCI_CHANNEL_USER
        Monitor = HCI_CHANNEL_MONITOR
        Control = HCI_CHANNEL_CONTROL
        Logging = HCI_CHANNEL_LOGGING

        [constants Buses.Bluetooth.HciDeviceFlags]
        Up = 1 << HCI_UP
        Init = 1 << HCI_INIT
        Running = 1 << HCI_RUNNING
        PageScan = 1 << HCI_PSCAN
        InquiryScan = 1 << HCI_ISCAN
        Authentication = 1 << HCI_AUTH
        Encryption = 1 << HCI_ENCRYPT
        Inquiry = 1 << HCI_INQUIRY
        Raw = 1 << HCI_RAW

        [constants Buses.Bluetooth.HciPacketType]
        Command = HCI_COMMAND_PKT
        AclData = HCI_ACLDATA_PKT
        ScoData = HCI_SCODATA_PKT
        Event = HCI_EVENT_PKT
        IsoData = HCI_ISODATA_PKT
        Vendor = HCI_VENDOR_PKT

        [constants Buses.Can.CanFdFlags]
        BitRateSwitch = CANFD_BRS
        ErrorStateIndicator = CANFD_ESI
        FdFormat = CANFD_FDF

        [constants Buses.Can.CanXlFlags]
        SimpleExtendedContent = CANXL_SEC
        RemoteRequestSubstitution = CANXL_RRS
        XlFormat = CANXL_XLF

        [constants Buses.Can.CanState]
        ErrorActive = CAN_STATE_ERROR_ACTIVE
        ErrorWarning = CAN_STATE_ERROR_WARNING
        ErrorPassive = CAN_STATE_ERROR_PASSIVE
        BusOff = CAN_STATE_BUS_OFF
        Stopped = CAN_STATE_STOPPED
        Sleeping = CAN_STATE_SLEEPING

        [constants Buses.Can.CanControllerModes]
        Loopback = CAN_CTRLMODE_LOOPBACK
        ListenOnly = CAN_CTRLMODE_LISTENONLY
        TripleSampling = CAN_CTRLMODE_3_SAMPLES
        OneShot = CAN_CTRLMODE_ONE_SHOT
        BusErrorReporting = CAN_CTRLMODE_BERR_REPORTING
        Fd = CAN_CTRLMODE_FD
        PresumeAck = CAN_CTRLMODE_PRESUME_ACK
        FdNonIso = CAN_CTRLMODE_FD_NON_ISO
        ClassicLength8Dlc = CAN_CTRLMODE_CC_LEN8_DLC
        TdcAutomatic = CAN_CTRLMODE_TDC_AUTO
        TdcManual = CAN_CTRLMODE_TDC_MANUAL

        [constants Buses.Can.CanErrorClasses]
        TransmitTimeout = CAN_ERR_TX_TIMEOUT
        LostArbitration = CAN_ERR_LOSTARB
        Controller = CAN_ERR_CRTL
        Protocol = CAN_ERR_PROT
        Transceiver = CAN_ERR_TRX
        NoAcknowledge = CAN_ERR_ACK
        BusOff = CAN_ERR_BUSOFF
        BusError = CAN_ERR_BUSERROR
        Restarted = CAN_ERR_RESTARTED
        Counters = CAN_ERR_CNT
        All = CAN_ERR_MASK

        [constants Buses.Can.CanControllerErrors]
        ReceiveOverflow = CAN_ERR_CRTL_RX_OVERFLOW
        TransmitOverflow = CAN_ERR_CRTL_TX_OVERFLOW
        ReceiveWarning = CAN_ERR_CRTL_RX_WARNING
        TransmitWarning = CAN_ERR_CRTL_TX_WARNING
        ReceivePassive = CAN_ERR_CRTL_RX_PASSIVE
        TransmitPassive = CAN_ERR_CRTL_TX_PASSIVE
        Active = CAN_ERR_CRTL_ACTIVE

        [constants Buses.Can.CanProtocolViolations]
        Bit = CAN_ERR_PROT_BIT
        Form = CAN_ERR_PROT_FORM
        Stuff = CAN_ERR_PROT_STUFF
        Bit0 = CAN_ERR_PROT_BIT0
        Bit1 = CAN_ERR_PROT_BIT1
        Overload = CAN_ERR_PROT_OVERLOAD
        Active = CAN_ERR_PROT_ACTIVE
        Transmit = CAN_ERR_PROT_TX

        [constants Buses.Can.CanProtocolLocation]
        Unspecified = CAN_ERR_PROT_LOC_UNSPEC
        StartOfFrame = CAN_ERR_PROT_LOC_SOF
        Id28To21 = CAN_ERR_PROT_LOC_ID28_21
        Id20To18 = CAN_ERR_PROT_LOC_ID20_18
        SubstituteRtr = CAN_ERR_PROT_LOC_SRTR
        IdentifierExtension = CAN_ERR_PROT_LOC_IDE
        Id17To13 = CAN_ERR_PROT_LOC_ID17_13
        Id12To05 = CAN_ERR_PROT_LOC_ID12_05
        Id04To00 = CAN_ERR_PROT_LOC_ID04_00
        Rtr = CAN_ERR_PROT_LOC_RTR
        Reserved1 = CAN_ERR_PROT_LOC_RES1
        Reserved0 = CAN_ERR_PROT_LOC_RES0
        Dlc = CAN_ERR_PROT_LOC_DLC
        Data = CAN_ERR_PROT_LOC_DATA
        CrcSequence = CAN_ERR_PROT_LOC_CRC_SEQ
        CrcDelimiter = CAN_ERR_PROT_LOC_CRC_DEL
        Ack = CAN_ERR_PROT_LOC_ACK
        AckDelimiter = CAN_ERR_PROT_LOC_ACK_DEL
        EndOfFrame = CAN_ERR_PROT_LOC_EOF
        Intermission = CAN_ERR_PROT_LOC_INTERM

        # One value per wire: the CANH status is data[4]'s low nibble, CANL's the same code shifted left by 4.
        [constants Buses.Can.CanWireStatus]
        Unspecified = CAN_ERR_TRX_UNSPEC
        NoWire = CAN_ERR_TRX_CANH_NO_WIRE
        ShortToBattery = CAN_ERR_TRX_CANH_SHORT_TO_BAT
        ShortToVcc = CAN_ERR_TRX_CANH_SHORT_TO_VCC
        ShortToGround = CAN_ERR_TRX_CANH_SHORT_TO_GND
        ShortToCanHigh = CAN_ERR_TRX_CANL_SHORT_TO_CANH >> 4

        [constants Buses.Tipc.TipcScope]
        Cluster = TIPC_CLUSTER_SCOPE
        Node = TIPC_NODE_SCOPE

        [constants Buses.Tipc.TipcAddressKind]
        ServiceRange = TIPC_SERVICE_RANGE
        Service = TIPC_SERVICE_ADDR
        Socket = TIPC_SOCKET_ADDR

        [constants Buses.Tipc.TipcImportance]
        Low = TIPC_LOW_IMPORTANCE
        Medium = TIPC_MEDIUM_IMPORTANCE
        High = TIPC_HIGH_IMPORTANCE
        Critical = TIPC_CRITICAL_IMPORTANCE

        [constants Buses.Tipc.TipcErrorCode]
        None = TIPC_OK
        NoName = TIPC_ERR_NO_NAME
        NoPort = TIPC_ERR_NO_PORT
        NoNode = TIPC_ERR_NO_NODE
        Overload = TIPC_ERR_OVERLOAD
        ConnectionShutdown = TIPC_CONN_SHUTDOWN

        [constants Buses.Tipc.TipcMulticastMethod]
        Broadcast = - a selector between TIPC_MCAST_BROADCAST and TIPC_MCAST_REPLICAST, not a kernel value
        Replicast = - a selector between TIPC_MCAST_BROADCAST and TIPC_MCAST_REPLICAST, not a kernel value

        [constants Buses.Tipc.TipcSubscriptionFilter]
        Ports = TIPC_SUB_PORTS
        Service = TIPC_SUB_SERVICE
        NoStatus = - kernel-internal (net/tipc/topsrv.h, 0x80), not in the UAPI header; the topology server honours it from user space

        [constants Buses.Tipc.TipcByteOrder]
        Host = - a library selector of the subscription byte order, not a kernel value
        Network = - a library selector of the subscription byte order, not a kernel value

        [constants Buses.Tipc.TipcEventKind]
        Published = TIPC_PUBLISHED
        Withdrawn = TIPC_WITHDRAWN
        SubscriptionTimeout = TIPC_SUBSCR_TIMEOUT

        [constants]
        Buses.Bluetooth.Interop.BluetoothUapi.HCI_DEV_LIST_REQ_ENTRIES = offsetof(struct hci_dev_list_req, dev_req)
        Buses.RawSocketAddress.MaxSize = sizeof(struct sockaddr_storage)
        Buses.Interfaces.MaxNameLength = IFNAMSIZ - 1
        Buses.Netlink.NetlinkHeader.Size = sizeof(struct nlmsghdr)
        Buses.Netlink.NetlinkAddress.Size = sizeof(struct sockaddr_nl)
        Buses.Netlink.NetlinkMessageBuilder.Alignment = NLMSG_ALIGNTO
        Buses.Netlink.GenericNetlinkFamily.GenericHeaderSize = GENL_HDRLEN
        Buses.Netlink.GenericNetlink.ControllerId = GENL_ID_CTRL
        Buses.Packet.PacketAddress.Size = sizeof(struct sockaddr_ll)
        Buses.Packet.PacketAddress.MaxHardwareAddressLength = sizeof(((struct sockaddr_ll *)0)->sll_addr)
        Buses.Inet.InetAddress.Size = sizeof(struct sockaddr_in)
        Buses.Inet.Inet6Address.Size = sizeof(struct sockaddr_in6)
        Buses.Inet.UnixAddress.MaxPathBytes = sizeof(((struct sockaddr_un *)0)->sun_path)
        Buses.Can.CanFrame.Size = sizeof(struct can_frame)
        Buses.Can.CanFrame.MaxDataLength = CAN_MAX_DLEN
        Buses.Can.CanFdFrame.Size = sizeof(struct canfd_frame)
        Buses.Can.CanFdFrame.MaxDataLength = CANFD_MAX_DLEN
        Buses.Can.CanXlFrame.Size = sizeof(struct canxl_frame)
        Buses.Can.CanXlFrame.HeaderSize = CANXL_HDR_SIZE
        Buses.Can.CanXlFrame.MinDataLength = CANXL_MIN_DLEN
        Buses.Can.CanXlFrame.MaxDataLength = CANXL_MAX_DLEN
        Buses.Can.CanXlFrame.MaxPriority = CANXL_PRIO_MASK
        Buses.Can.CanFilter.Size = sizeof(struct can_filter)
        Buses.Can.CanFilter.MaxCount = CAN_RAW_FILTER_MAX
        Buses.Can.CanId.MaxStandard = CAN_SFF_MASK
        Buses.Can.CanId.MaxExtended = CAN_EFF_MASK
        Buses.Can.CanLink.ClassicMtu = CAN_MTU
        Buses.Can.CanLink.FdMtu = CANFD_MTU
        Buses.Can.CanLink.XlMtu = CANXL_MTU
        Buses.Tipc.TipcAddress.Size = sizeof(struct sockaddr_tipc)
        Buses.Tipc.TipcNodeIdentity.Size = TIPC_NODEID_LEN
        Buses.Tipc.TipcNodeAddress.MaxZone = TIPC_ZONE_SIZE
        Buses.Tipc.TipcNodeAddress.MaxCluster = TIPC_CLUSTER_SIZE
        Buses.Tipc.TipcNodeAddress.MaxNode = TIPC_NODE_SIZE
        Buses.Tipc.TipcReceived.AddressSpace = 2 * sizeof(struct sockaddr_tipc)
        Buses.Tipc.TipcSubscription.Size = sizeof(struct tipc_subscr)
        Buses.Tipc.TipcEvent.Size = sizeof(struct tipc_event)
        Buses.Interop.Libraries.Libc = - the library name LibraryImport resolves, not a kernel value
        # The header's mask is an int (~0xC000); the library applies it to the u16 nla_type.
        Buses.Netlink.Interop.NetlinkConstants.NLA_TYPE_MASK = (__u16)NLA_TYPE_MASK
        Buses.Netlink.Interop.NetlinkConstants.IFINFOMSG_LEN = sizeof(struct ifinfomsg)
        Buses.Can.Interop.CanNetlink.CAN_CTRLMODE_SIZE = sizeof(struct can_ctrlmode)
        Buses.Can.Interop.CanNetlink.CAN_BITTIMING_SIZE = sizeof(struct can_bittiming)
        Buses.Can.Interop.CanNetlink.CAN_BITTIMING_CONST_SIZE = sizeof(struct can_bittiming_const)
        Buses.Can.Interop.CanNetlink.CAN_DEVICE_STATS_SIZE = sizeof(struct can_device_stats)
        # net/can/raw.c: RAW_MIN_NAMELEN = CAN_REQUIRED_SIZE(struct sockaddr_can, can_ifindex).
        Buses.Can.Interop.sockaddr_can.RAW_MIN_NAMELEN = offsetof(struct sockaddr_can, can_ifindex) + sizeof(int)
        # net/can/j1939/j1939-priv.h: J1939_MIN_NAMELEN = CAN_REQUIRED_SIZE(struct sockaddr_can, can_addr.j1939).
        Buses.Can.Interop.J1939Uapi.J1939_MIN_NAMELEN = offsetof(struct sockaddr_can, can_addr.j1939) + sizeof(((struct sockaddr_can *)0)->can_addr.j1939)
        Buses.Can.J1939.MaxUnicastAddress = J1939_MAX_UNICAST_ADDR
        Buses.Can.J1939.IdleAddress = J1939_IDLE_ADDR
        Buses.Can.J1939.NoAddress = J1939_NO_ADDR
        Buses.Can.J1939.NoName = J1939_NO_NAME
        Buses.Can.J1939.NoPgn = J1939_NO_PGN
        Buses.Can.J1939.MaxPgn = J1939_PGN_MAX
        Buses.Can.J1939.MaxPdu1Pgn = J1939_PGN_PDU1_MAX
        Buses.Can.J1939.RequestPgn = J1939_PGN_REQUEST
        Buses.Can.J1939.AddressClaimedPgn = J1939_PGN_ADDRESS_CLAIMED
        Buses.Can.J1939.AddressCommandedPgn = J1939_PGN_ADDRESS_COMMANDED
        Buses.Can.J1939.MaxSingleFrameLength = CAN_MAX_DLEN
        Buses.Can.J1939.MaxTransportLength = - J1939-21: 255 packets of 7 bytes; the kernel's limit is internal (transport.c)
        Buses.Can.J1939.MaxExtendedTransportLength = - J1939-21: 16777215 packets of 7 bytes; the kernel's limit is internal (transport.c)
        Buses.Can.J1939.MinUnprivilegedPriority = - net/can/j1939/socket.c: priorities below 2 need CAP_NET_ADMIN (no header names it)
        Buses.Can.J1939.DefaultPriority = - J1939-21's default priority; the kernel's default is internal
        Buses.Can.J1939Filter.MaxCount = J1939_FILTER_MAX
        Buses.Inet.Interop.InetConstants.SCM_MAX_FD = - kernel-internal (include/net/scm.h), not exported to userspace headers; unix(7) documents 253
        Buses.Can.IsoTpOptions.ZeroTransmitTime = CAN_ISOTP_FRAME_TXTIME_ZERO
        # net/can/isotp.c: ISOTP_MIN_NAMELEN = CAN_REQUIRED_SIZE(struct sockaddr_can, can_addr.tp).
        Buses.Can.Interop.IsoTpUapi.ISOTP_MIN_NAMELEN = offsetof(struct sockaddr_can, can_addr.tp) + sizeof(((struct sockaddr_can *)0)->can_addr.tp)
        # net/can/bcm.c keeps these two to itself; bcm(7)-style docs and can-utils repeat the values.
        Buses.Can.Interop.BcmUapi.MAX_NFRAMES = - kernel-internal (net/can/bcm.c MAX_NFRAMES), not in linux/can/bcm.h
        Buses.Can.Interop.BcmUapi.BCM_TIMER_SEC_MAX = - kernel-internal (net/can/bcm.c, 400 days), not in linux/can/bcm.h

        # CAN XL RRS and VCID (socket option, struct and masks) arrived in the UAPI after Linux 6.1.
        [newer-uapi]
        CAN_ISOTP_DYN_FC_PARMS
        CANXL_RRS
        CANXL_VCID_OFFSET
        CANXL_VCID_VAL_MASK
        CANXL_VCID_MASK
        CAN_RAW_XL_VCID_OPTS
        CAN_RAW_XL_VCID_TX_SET
        CAN_RAW_XL_VCID_TX_PASS
        CAN_RAW_XL_VCID_RX_FILTER
        struct can_raw_vcid_options
        """;

    public static KnownNames Parse(List<string> problems)
    {
        var names = new KnownNames();
        Layout? layout = null;
        ConstantMap? map = null;
        bool loose = false;
        bool newer = false;
        foreach (string raw in Table.Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith('['))
            {
                (layout, map, loose, newer) = (null, null, false, false);
                string header = line.Trim('[', ']');
                if (header.StartsWith("struct ", StringComparison.Ordinal))
                {
                    (string type, string? target) = Split(header["struct ".Length..]);
                    bool own = target?.StartsWith('-') == true;
                    layout = new Layout(own ? "-" : target, own ? target!.TrimStart('-', ' ') : null, []);
                    if (own)
                    {
                        names.NotKernelLayouts.Add(type);
                    }

                    names.Layouts[type] = layout;
                }
                else if (header == "newer-uapi")
                {
                    newer = true;
                }
                else if (header == "constants")
                {
                    loose = true;
                }
                else if (header.StartsWith("constants ", StringComparison.Ordinal))
                {
                    string type = header["constants ".Length..].Trim();
                    bool same = type.EndsWith(" *", StringComparison.Ordinal);
                    map = new ConstantMap(same, []);
                    names.TypeConstants[type.TrimEnd('*', ' ')] = map;
                }
                else
                {
                    problems.Add($"KnownNames: unknown section [{header}]");
                }

                continue;
            }

            if (newer)
            {
                names.NewerUapi.Add(line);
                continue;
            }

            (string key, string? value) = Split(line);
            if (value is null)
            {
                problems.Add($"KnownNames: line '{line}' has no '='");
            }
            else if (layout is not null)
            {
                layout.Fields[key] = value;
            }
            else if (map is not null)
            {
                map.Members[key] = value;
            }
            else if (loose)
            {
                names.Constants[key] = value;
            }
            else
            {
                problems.Add($"KnownNames: line '{line}' is outside any section");
            }
        }

        return names;
    }

    private static (string Key, string? Value) Split(string text)
    {
        int eq = text.IndexOf(" = ", StringComparison.Ordinal);
        return eq < 0 ? (text.Trim(), null) : (text[..eq].Trim(), text[(eq + 3)..].Trim());
    }
}
