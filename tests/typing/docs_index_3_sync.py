from revox_async import SyncRevox

with SyncRevox() as client:
    assistant = client.assistants.create(name="Front desk", prompt="You book appointments.")
    print(client.assistants.retrieve(assistant.id).name)
