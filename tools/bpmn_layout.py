#!/usr/bin/env python3
"""Writes the BPMN DI of processes/chat-lifecycle.bpmn from the positions below.

Usage: python3 tools/bpmn_layout.py   (rewrites the <bpmndi:BPMNDiagram> element in place)
"""
import pathlib
import re

FILE = pathlib.Path(__file__).resolve().parent.parent / 'processes' / 'chat-lifecycle.bpmn'

# element id -> (kind, centre x, centre y[, width, height]) ; kinds: event, gateway, task, box
SHAPES = {
    'StartEvent_ChatCreated': ('event', 170, 300),
    'Gateway_Fork': ('gateway', 250, 300),
    'Gateway_AutoMenu': ('gateway', 340, 300),
    'Gateway_MenuWait': ('gateway', 430, 160),
    'Event_MenuSelected': ('event', 520, 100),
    'Timer_MenuTimeout': ('event', 520, 160),
    'Event_TakeoverDuringMenu': ('event', 520, 220),
    'Gateway_Route': ('gateway', 620, 300),
    'Task_AssignAgent': ('task', 730, 300),
    'Gateway_Outcome': ('gateway', 850, 300),
    'Task_WaitAutoAssign': ('task', 960, 160),
    'Event_TakeoverWhilePending': ('event', 1000, 200),
    'Task_Enqueue': ('task', 950, 540),
    'Task_AnnounceQueued': ('task', 1110, 540),
    'SubProcess_Queue': ('box', 1540, 610, 720, 340),
    'StartEvent_QueueWait': ('event', 1230, 520),
    'Task_WaitInQueue': ('task', 1330, 520),
    'EndEvent_Dequeued': ('event', 1450, 520),
    'Timer_QueueEscalation': ('event', 1330, 560),
    'Task_PrepareEscalation': ('task', 1330, 660),
    'Gateway_Escalate': ('gateway', 1440, 660),
    'EndEvent_NoEscalation': ('event', 1440, 740),
    'Gateway_AskAdmin': ('gateway', 1520, 660),
    'UserTask_AssignQueuedChat': ('task', 1620, 660),
    'Task_ApplyAdminChoice': ('task', 1760, 660),
    'Gateway_Choice': ('gateway', 1850, 660),
    'EndEvent_AssignedByAdmin': ('event', 1850, 560),
    'EndEvent_TakenOverByAdmin': ('event', 1850, 740),
    'Event_TakeoverWhileQueued': ('event', 1240, 780),
    'Gateway_AfterQueue': ('gateway', 2000, 540),
    'Gateway_Assigned': ('gateway', 2000, 300),
    'Task_InConversation': ('task', 2110, 300),
    'Event_TakeoverInConversation': ('event', 2140, 340),
    'Gateway_TakeOver': ('gateway', 2240, 860),
    'Task_TakeOver': ('task', 2350, 860),
    'Gateway_HandedOver': ('gateway', 2460, 860),
    'EndEvent_HandedToAdmin': ('event', 2560, 860),
    'Gateway_WatchLoop': ('gateway', 340, 980),
    'Timer_Inactivity': ('event', 430, 980),
    'Task_CheckInactivity': ('task', 530, 980),
    'Gateway_Inactive': ('gateway', 640, 980),
    'Task_AutoClose': ('task', 750, 980),
    'EndEvent_AutoClosed': ('event', 860, 980),
    'SubProcess_Close': ('box', 530, 1170, 400, 140),
    'StartEvent_CloseRequested': ('event', 390, 1170),
    'Task_CloseChat': ('task', 510, 1170),
    'EndEvent_Closed': ('event', 630, 1170),
}

EDGES = {
    'Flow_ToFork': [(188, 300), (225, 300)],
    'Flow_ToRouting': [(275, 300), (315, 300)],
    'Flow_ToWatch': [(250, 325), (250, 980), (315, 980)],
    'Flow_Menu': [(340, 275), (340, 160), (405, 160)],
    'Flow_NoMenu': [(365, 300), (595, 300)],
    'Flow_ToMenuSelected': [(430, 135), (430, 100), (502, 100)],
    'Flow_ToMenuTimeout': [(455, 160), (502, 160)],
    'Flow_ToTakeoverDuringMenu': [(430, 185), (430, 220), (502, 220)],
    'Flow_MenuSelected': [(538, 100), (620, 100), (620, 275)],
    'Flow_MenuTimedOut': [(538, 160), (620, 160), (620, 275)],
    'Flow_ToAssign': [(645, 300), (680, 300)],
    'Flow_ToOutcome': [(780, 300), (825, 300)],
    'Flow_Assigned': [(875, 300), (1975, 300)],
    'Flow_Pending': [(850, 275), (850, 160), (910, 160)],
    'Flow_NoAgent': [(850, 325), (850, 540), (900, 540)],
    'Flow_ToAnnounce': [(1000, 540), (1060, 540)],
    'Flow_ToQueue': [(1160, 540), (1180, 540)],
    'Flow_ToWaitInQueue': [(1248, 520), (1280, 520)],
    'Flow_Dequeued': [(1380, 520), (1432, 520)],
    'Flow_ToPrepareEscalation': [(1330, 578), (1330, 620)],
    'Flow_ToEscalate': [(1380, 660), (1415, 660)],
    'Flow_Escalate': [(1465, 660), (1495, 660)],
    'Flow_NoEscalation': [(1440, 685), (1440, 722)],
    'Flow_ToAdminTask': [(1545, 660), (1570, 660)],
    'Flow_ToApplyChoice': [(1670, 660), (1710, 660)],
    'Flow_ToChoice': [(1810, 660), (1825, 660)],
    'Flow_AssignedByAdmin': [(1850, 635), (1850, 578)],
    'Flow_TakenOverByAdmin': [(1850, 685), (1850, 722)],
    'Flow_ChoiceInvalid': [(1875, 660), (1890, 660), (1890, 760), (1520, 760), (1520, 685)],
    'Flow_AfterQueue': [(1900, 540), (1975, 540)],
    'Flow_QueueAssigned': [(2000, 515), (2000, 325)],
    'Flow_QueueTakenOver': [(2025, 540), (2460, 540), (2460, 835)],
    'Flow_ToConversation': [(2025, 300), (2060, 300)],
    'Flow_Unassigned': [(2110, 260), (2110, 30), (600, 30), (600, 285)],
    'Flow_Resumed': [(960, 120), (960, 60), (620, 60), (620, 100)],
    'Flow_TakeoverDuringMenu': [(538, 220), (560, 220), (560, 860), (2215, 860)],
    'Flow_TakeoverWhilePending': [(1000, 218), (1000, 250), (1030, 250), (1030, 860), (2215, 860)],
    'Flow_TakeoverWhileQueued': [(1240, 798), (1240, 860), (2215, 860)],
    'Flow_TakeoverInConversation': [(2140, 358), (2140, 860), (2215, 860)],
    'Flow_ToTakeOver': [(2265, 860), (2300, 860)],
    'Flow_ToHandedOver': [(2400, 860), (2435, 860)],
    'Flow_HandedOver': [(2485, 860), (2542, 860)],
    'Flow_ToInactivityTimer': [(365, 980), (412, 980)],
    'Flow_ToCheckInactivity': [(448, 980), (480, 980)],
    'Flow_ToInactive': [(580, 980), (615, 980)],
    'Flow_Inactive': [(665, 980), (700, 980)],
    'Flow_StillActive': [(640, 1005), (640, 1050), (340, 1050), (340, 1005)],
    'Flow_ToAutoClosed': [(800, 980), (842, 980)],
    'Flow_ToCloseChat': [(408, 1170), (460, 1170)],
    'Flow_ToClosed': [(560, 1170), (612, 1170)],
}

SIZES = {'event': (36, 36), 'gateway': (50, 50), 'task': (100, 80)}


def shape(element, spec):
    kind, cx, cy = spec[0], spec[1], spec[2]
    w, h = (spec[3], spec[4]) if kind == 'box' else SIZES[kind]
    extra = ''
    if kind == 'gateway':
        extra = ' isMarkerVisible="true"'
    if kind == 'box':
        extra = ' isExpanded="true"'
    return (f'      <bpmndi:BPMNShape id="{element}_di" bpmnElement="{element}"{extra}>\n'
            f'        <dc:Bounds x="{cx - w // 2}" y="{cy - h // 2}" width="{w}" height="{h}" />\n'
            f'      </bpmndi:BPMNShape>\n')


def edge(flow, points):
    waypoints = ''.join(f'<di:waypoint x="{x}" y="{y}" />' for x, y in points)
    return (f'      <bpmndi:BPMNEdge id="{flow}_di" bpmnElement="{flow}">\n'
            f'        {waypoints}\n'
            f'      </bpmndi:BPMNEdge>\n')


def main():
    xml = FILE.read_text()
    ids = set(re.findall(r'<bpmn:(?!message\b|definitions\b|process\b)[a-zA-Z]+ id="([^"]+)"', xml))
    flows = set(re.findall(r'<bpmn:sequenceFlow id="([^"]+)"', xml))
    nodes = ids - flows - {i for i in ids if 'EventDefinition' in i}
    missing = (nodes - set(SHAPES)) | (flows - set(EDGES))
    unknown = (set(SHAPES) - nodes) | (set(EDGES) - flows)
    if missing or unknown:
        raise SystemExit(f'missing positions: {sorted(missing)}; positions of nothing: {sorted(unknown)}')
    diagram = ('  <bpmndi:BPMNDiagram id="BPMNDiagram_ChatLifecycle">\n'
               '    <bpmndi:BPMNPlane id="BPMNPlane_ChatLifecycle" bpmnElement="chat-lifecycle">\n'
               + ''.join(shape(e, s) for e, s in SHAPES.items())
               + ''.join(edge(f, p) for f, p in EDGES.items())
               + '    </bpmndi:BPMNPlane>\n  </bpmndi:BPMNDiagram>\n')
    xml = re.sub(r'  <bpmndi:BPMNDiagram.*</bpmndi:BPMNDiagram>\n', lambda m: diagram, xml, flags=re.S)
    FILE.write_text(xml)


if __name__ == '__main__':
    main()
