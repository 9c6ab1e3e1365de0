"""Drives python-dbusmock's logind template on the bus that
DBUS_SYSTEM_BUS_ADDRESS names (tests/cli/logindlib.sh starts both).

  wait                              until org.freedesktop.login1 answers
  add ID UID NAME SERVICE [CLASS]   a session of NAME opened by SERVICE
  ended                             the ids TerminateSession was called
                                    with, one a line, in call order
  clear                             forget the calls recorded so far
"""
import sys
import time

import dbus

NAME = 'org.freedesktop.login1'
PATH = '/org/freedesktop/login1'
MOCK = 'org.freedesktop.DBus.Mock'


def manager_mock(bus):
    return dbus.Interface(bus.get_object(NAME, PATH), MOCK)


def main(argv):
    bus = dbus.SystemBus()
    cmd = argv[1]
    if cmd == 'wait':
        for _ in range(100):
            if bus.name_has_owner(NAME):
                return 0
            time.sleep(0.1)
        return 1
    if cmd == 'add':
        sid, uid, user, service = argv[2], int(argv[3]), argv[4], argv[5]
        klass = argv[6] if len(argv) > 6 else 'user'
        path = manager_mock(bus).AddSession(sid, 'seat0', dbus.UInt32(uid), user, True)
        dbus.Interface(bus.get_object(NAME, path), MOCK).UpdateProperties(
            'org.freedesktop.login1.Session', {'Service': service, 'Class': klass})
        return 0
    if cmd == 'ended':
        for _, method, args in manager_mock(bus).GetCalls():
            if method == 'TerminateSession':
                print(args[0])
        return 0
    if cmd == 'clear':
        manager_mock(bus).ClearCalls()
        return 0
    print('unknown command ' + cmd, file=sys.stderr)
    return 2


sys.exit(main(sys.argv))
